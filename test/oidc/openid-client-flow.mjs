// The client side of test/oidc/openid-client.e2e-spec.ts: openid-client 6 and jose 6 are ESM-only
// and Jest here runs CommonJS, so the spec runs this script as a child `node` process against a
// listening Tessera and asserts on the JSON it prints. Input: one JSON argument (see the spec).
// Every step records what a strict client saw; a step that throws records its error instead, so
// one failure does not hide the others.
import * as client from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const input = JSON.parse(process.argv[2]);
const issuer = new URL(input.issuer);
const insecure = { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] };
const result = {};

/** Runs a step; its value, or `{ error: { name, message, code, status } }`. */
async function step(name, run) {
  try {
    result[name] = await run();
  } catch (error) {
    result[name] = {
      error: {
        name: error?.name,
        message: error?.message,
        cause: error?.cause?.message,
        code: error?.code,
        status: error?.status ?? error?.cause?.status,
        oauthError: error?.error,
      },
    };
  }
}

const pick = (object, keys) => Object.fromEntries(keys.map((key) => [key, object[key]]));

// Discovery, OIDC and RFC 8414; both check that the document names the issuer asked for.
const admin = await client.discovery(
  issuer,
  input.admin.clientId,
  input.admin.clientSecret,
  client.ClientSecretBasic(input.admin.clientSecret),
  insecure,
);
const metadata = admin.serverMetadata();
result.discovery = pick(metadata, [
  'issuer',
  'token_endpoint',
  'userinfo_endpoint',
  'revocation_endpoint',
  'jwks_uri',
  'authorization_endpoint',
  'response_types_supported',
  'id_token_signing_alg_values_supported',
  'grant_types_supported',
]);
await step('oauth2Discovery', async () => {
  const oauth2 = await client.discovery(
    issuer,
    input.admin.clientId,
    input.admin.clientSecret,
    undefined,
    {
      ...insecure,
      algorithm: 'oauth2',
    },
  );
  return { issuer: oauth2.serverMetadata().issuer };
});

const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
/** jose's own verification, independent of openid-client's. */
async function verifyIdToken(idToken, clientId, algorithm) {
  const { payload, protectedHeader } = await jwtVerify(idToken, jwks, {
    issuer: metadata.issuer,
    audience: clientId,
    algorithms: [algorithm],
    requiredClaims: ['sub', 'exp', 'iat'],
  });
  return { alg: protectedHeader.alg, kid: protectedHeader.kid, sub: payload.sub };
}

await step('clientCredentials', async () => {
  const tokens = await client.clientCredentialsGrant(admin, { scope: 'admin' });
  return {
    token_type: tokens.token_type,
    scope: tokens.scope,
    expires_in: tokens.expires_in,
    alg: decodeProtectedHeader(tokens.access_token).alg,
  };
});

/**
 * A client of one application; `idTokenAlg` is what it declares it expects. Without one,
 * openid-client accepts what discovery advertises, and RS256 when discovery is silent.
 */
const clientOf = (application, idTokenAlg) =>
  client.discovery(
    issuer,
    application.client_id,
    {
      client_secret: application.client_secret,
      ...(idTokenAlg ? { id_token_signed_response_alg: idTokenAlg } : {}),
    },
    client.ClientSecretPost(application.client_secret),
    insecure,
  );
const passwordGrant = (config) =>
  client.genericGrantRequest(config, 'password', {
    username: input.user.username,
    password: input.user.password,
    scope: 'openid profile email',
  });

// The default application: RS256 ID tokens, and a client that insists on them.
const rs = await clientOf(input.apps.rs, 'RS256');
let session;
await step('passwordGrant', async () => {
  session = await passwordGrant(rs);
  const claims = session.claims();
  return {
    token_type: session.token_type,
    scope: session.scope,
    has_refresh_token: typeof session.refresh_token === 'string',
    access_token_alg: decodeProtectedHeader(session.access_token).alg,
    claims: pick(claims, ['iss', 'aud', 'sub', 'preferred_username', 'email']),
    jose: await verifyIdToken(session.id_token, input.apps.rs.client_id, 'RS256'),
  };
});

await step('userinfoGet', async () =>
  client.fetchUserInfo(rs, session.access_token, session.claims().sub),
);
await step('userinfoPost', async () => {
  const response = await client.fetchProtectedResource(
    rs,
    session.access_token,
    new URL(metadata.userinfo_endpoint),
    'POST',
  );
  return { status: response.status, body: await response.json() };
});
// RFC 6750 §2.2: the token as a form parameter instead of the header.
await step('userinfoPostFormToken', async () => {
  const response = await fetch(metadata.userinfo_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ access_token: session.access_token }),
  });
  return { status: response.status, body: await response.json() };
});
await step('userinfoWithoutToken', async () => {
  const response = await fetch(metadata.userinfo_endpoint);
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
});

let refreshed;
await step('refresh', async () => {
  refreshed = await client.refreshTokenGrant(rs, session.refresh_token);
  return {
    rotated: refreshed.refresh_token !== session.refresh_token,
    sub: refreshed.claims()?.sub,
    jose: await verifyIdToken(refreshed.id_token, input.apps.rs.client_id, 'RS256'),
  };
});
await step('userinfoAfterRefresh', async () =>
  client.fetchUserInfo(rs, refreshed.access_token, refreshed.claims().sub),
);

await step('revocation', async () => {
  await client.tokenRevocation(rs, refreshed.refresh_token, { token_type_hint: 'refresh_token' });
  return { revoked: true };
});
await step('refreshAfterRevocation', async () => {
  await client.refreshTokenGrant(rs, refreshed.refresh_token);
  return { refreshed: true };
});
await step('userinfoAfterRevocation', async () => {
  await client.fetchUserInfo(rs, refreshed.access_token, client.skipSubjectCheck);
  return { answered: true };
});

// The application that chose ES256: its client says so, and both libraries verify ES256.
const es = await clientOf(input.apps.es, 'ES256');
await step('es256PasswordGrant', async () => {
  const tokens = await passwordGrant(es);
  return {
    sub: tokens.claims().sub,
    jose: await verifyIdToken(tokens.id_token, input.apps.es.client_id, 'ES256'),
  };
});
// A client that declares RS256 refuses the ES256 ID token: the algorithm check is real.
await step('es256WithRs256Client', async () => {
  await passwordGrant(await clientOf(input.apps.es, 'RS256'));
  return { accepted: true };
});
// A client that declares nothing accepts the advertised algorithms.
await step('es256WithDefaultClient', async () => {
  const tokens = await passwordGrant(await clientOf(input.apps.es));
  return { alg: decodeProtectedHeader(tokens.id_token).alg };
});

process.stdout.write(JSON.stringify(result));
