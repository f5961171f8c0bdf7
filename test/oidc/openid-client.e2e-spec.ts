import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { freePort } from '../security/support/spawned-service';
import {
  adminToken,
  createApplication,
  createUser,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';

const run = promisify(execFile);
const FLOW_SCRIPT = join(__dirname, 'openid-client-flow.mjs');

/** What `openid-client-flow.mjs` prints: one entry per step, or `{error}` where it threw. */
type FlowResult = Record<string, Record<string, unknown>>;

/**
 * Issue 13: the flow a strict OpenID Connect client runs, driven by openid-client 6 and jose 6
 * (ESM-only, so in a child `node` process) against a listening Tessera whose ISSUER is the URL
 * the client uses: discovery (OIDC and RFC 8414), client credentials, the password grant, ID
 * token validation (RS256 by default, ES256 where the application chose it), userinfo by GET and
 * POST, refresh and revocation.
 */
describe('OpenID Connect with openid-client and jose', () => {
  let app: NestExpressApplication;
  let issuer: string;
  let user: TestUser;
  let rs: TestApplication;
  let es: TestApplication;
  let flow: FlowResult;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    app = await createTestApp({ ISSUER: issuer });
    await app.listen(port, '127.0.0.1');
    const admin = await adminToken(app);
    const scopes = ['openid', 'profile', 'email'];
    rs = await createApplication(app, admin, { scopes });
    es = await createApplication(app, admin, { scopes });
    await request(app.getHttpServer())
      .patch(`/admin/applications/${es.client_id}`)
      .auth(admin, { type: 'bearer' })
      .send({ id_token_signed_response_alg: 'ES256' })
      .expect(200);
    user = await createUser(app, admin, { name: 'Ada' });
    const input = {
      issuer,
      admin: { clientId: TEST_ADMIN.clientId, clientSecret: TEST_ADMIN.clientSecret },
      apps: { rs, es },
      user: { username: user.username, password: user.password },
    };
    const { stdout } = await run(process.execPath, [FLOW_SCRIPT, JSON.stringify(input)], {
      timeout: 60_000,
      maxBuffer: 1024 * 1024,
    });
    flow = JSON.parse(stdout) as FlowResult;
  }, 90_000);

  afterAll(async () => {
    await app?.close();
  });

  it('should pass discovery, OIDC and RFC 8414, advertising only what exists', () => {
    expect(flow.discovery).toEqual({
      issuer,
      token_endpoint: `${issuer}/oauth2/token`,
      userinfo_endpoint: `${issuer}/oauth2/userinfo`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: [],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      grant_types_supported: expect.arrayContaining([
        'client_credentials',
        'password',
        'refresh_token',
      ]) as unknown,
    });
    expect(flow.oauth2Discovery).toEqual({ issuer });
  });

  it('should issue an ES256 access token by client credentials', () => {
    expect(flow.clientCredentials).toEqual({
      token_type: 'bearer',
      scope: 'admin',
      expires_in: 3600,
      alg: 'ES256',
    });
  });

  it('should issue tokens by the password grant with an RS256 ID token both libraries accept', () => {
    expect(flow.passwordGrant).toEqual({
      token_type: 'bearer',
      scope: 'openid profile email',
      has_refresh_token: true,
      access_token_alg: 'ES256',
      claims: {
        iss: issuer,
        aud: rs.client_id,
        sub: user.user_id,
        preferred_username: user.username,
        email: user.email,
      },
      jose: { alg: 'RS256', kid: expect.any(String) as unknown, sub: user.user_id },
    });
  });

  it('should answer userinfo by GET and by POST, the token in the header or the form body', () => {
    const claims = {
      sub: user.user_id,
      preferred_username: user.username,
      name: 'Ada',
      email: user.email,
    };
    expect(flow.userinfoGet).toEqual(claims);
    expect(flow.userinfoPost).toEqual({ status: 200, body: claims });
    expect(flow.userinfoPostFormToken).toEqual({ status: 200, body: claims });
  });

  it('should challenge a userinfo request without a token with a bare Bearer realm', () => {
    expect(flow.userinfoWithoutToken).toEqual({ status: 401, challenge: 'Bearer realm="tessera"' });
  });

  it('should rotate the refresh token and issue a new valid RS256 ID token', () => {
    expect(flow.refresh).toEqual({
      rotated: true,
      sub: user.user_id,
      jose: { alg: 'RS256', kid: expect.any(String) as unknown, sub: user.user_id },
    });
    expect(flow.userinfoAfterRefresh).toEqual(expect.objectContaining({ sub: user.user_id }));
  });

  it('should revoke the session: its refresh and access tokens stop working', () => {
    expect(flow.revocation).toEqual({ revoked: true });
    expect(flow.refreshAfterRevocation).toEqual({
      error: expect.objectContaining({ oauthError: 'invalid_grant', status: 400 }) as unknown,
    });
    expect(flow.userinfoAfterRevocation).toEqual({
      error: expect.objectContaining({ status: 401 }) as unknown,
    });
  });

  it('should sign the ID tokens of an application that chose ES256 with ES256', () => {
    expect(flow.es256PasswordGrant).toEqual({
      sub: user.user_id,
      jose: { alg: 'ES256', kid: expect.any(String) as unknown, sub: user.user_id },
    });
    // A client that declares RS256 refuses it (the check is real); one that declares nothing
    // accepts what discovery advertises.
    expect(flow.es256WithRs256Client).toEqual({
      error: expect.objectContaining({
        code: 'OAUTH_INVALID_RESPONSE',
        cause: expect.stringMatching(/alg/) as unknown,
      }) as unknown,
    });
    expect(flow.es256WithDefaultClient).toEqual({ alg: 'ES256' });
  });
});
