import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';
import { adminToken as adminTokenOf, basicAuth as basic } from '../utils/auth-helpers';

async function setUp(app: NestExpressApplication, adminToken: string) {
  const http = () => request(app.getHttpServer());
  const web = (
    await http()
      .post('/admin/applications')
      .auth(adminToken, { type: 'bearer' })
      .send({ name: 'Web', type: 'web', scopes: ['openid', 'profile', 'email'] })
      .expect(201)
  ).body as { client_id: string; client_secret: string };
  const username = uniqueName('auser');
  const user = (
    await http()
      .post('/admin/users')
      .auth(adminToken, { type: 'bearer' })
      .send({
        username,
        email: `${username}@example.com`,
        name: 'Ada',
        password: 'Sign-In-Passw0rd',
      })
      .expect(201)
  ).body as { user_id: string; username: string };
  const login = (password = 'Sign-In-Passw0rd', scope = 'openid profile email') =>
    http()
      .post('/oauth2/token')
      .set('Authorization', basic(web.client_id, web.client_secret))
      .type('form')
      .send({ grant_type: 'password', username, password, scope });
  return { web, user, username, login };
}

describe('OAuth 2.0 / OpenID Connect', () => {
  let app: NestExpressApplication;
  let adminToken: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    adminToken = await adminTokenOf(app);
  });
  afterAll(() => app.close());

  it('should issue a client_credentials token with no-store caching and refuse a wrong secret', async () => {
    const res = await http()
      .post('/oauth2/token')
      .set('Authorization', basic(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'admin',
    });
    const bad = await http()
      .post('/oauth2/token')
      .set('Authorization', basic(TEST_ADMIN.clientId, 'wrong'))
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(401);
    expect(bad.body.error).toBe('invalid_client');
    expect(bad.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('should answer RFC 6749 errors for bad grants and scopes', async () => {
    const auth = basic(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret);
    expect(
      (
        await http()
          .post('/oauth2/token')
          .set('Authorization', auth)
          .type('form')
          .send({ grant_type: 'magic' })
          .expect(400)
      ).body.error,
    ).toBe('unsupported_grant_type');
    expect(
      (
        await http()
          .post('/oauth2/token')
          .set('Authorization', auth)
          .type('form')
          .send({})
          .expect(400)
      ).body.error,
    ).toBe('invalid_request');
    expect(
      (
        await http()
          .post('/oauth2/token')
          .set('Authorization', auth)
          .type('form')
          .send({ grant_type: 'client_credentials', scope: 'openid' })
          .expect(400)
      ).body.error,
    ).toBe('invalid_scope');
    expect(
      (
        await http()
          .post('/oauth2/token')
          .set('Authorization', auth)
          .type('form')
          .send({ grant_type: 'password', username: 'x', password: 'y' })
          .expect(400)
      ).body.error,
    ).toBe('unauthorized_client');
  });

  it('should sign in with a password and return access, refresh and ID tokens that verify with the JWKS', async () => {
    const { web, user, login } = await setUp(app, adminToken);
    const res = await login().expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        token_type: 'Bearer',
        scope: 'openid profile email',
        refresh_token: expect.any(String),
        id_token: expect.any(String),
      }),
    );
    const jwks = (await http().get('/.well-known/jwks.json').expect(200)).body.keys as Array<
      Record<string, string>
    >;
    const discovery = (await http().get('/.well-known/openid-configuration').expect(200)).body;
    // No authorization endpoint, so no response type is advertised; RFC 8414 serves the same.
    expect(discovery.response_types_supported).toEqual([]);
    expect(discovery).not.toHaveProperty('authorization_endpoint');
    await http().get('/.well-known/oauth-authorization-server').expect(200, discovery);
    const header = jwt.decode(res.body.id_token, { complete: true })!.header;
    const key = createPublicKey({ key: jwks.find((k) => k.kid === header.kid)!, format: 'jwk' });
    // OIDC Core §15.1: RS256 unless the application chose otherwise.
    expect(header.alg).toBe('RS256');
    const idClaims = jwt.verify(res.body.id_token, key, {
      algorithms: ['RS256'],
      audience: web.client_id,
      issuer: discovery.issuer,
    }) as jwt.JwtPayload;
    expect(idClaims).toEqual(
      expect.objectContaining({
        sub: user.user_id,
        preferred_username: user.username,
        name: 'Ada',
      }),
    );
    const info = await http()
      .get('/oauth2/userinfo')
      .auth(res.body.access_token, { type: 'bearer' })
      .expect(200);
    expect(info.body).toEqual(
      expect.objectContaining({ sub: user.user_id, email: `${user.username}@example.com` }),
    );
    // OIDC Core §5.3: POST answers the same claims.
    const posted = await http()
      .post('/oauth2/userinfo')
      .auth(res.body.access_token, { type: 'bearer' })
      .expect(200);
    expect(posted.body).toEqual(info.body);
  });

  it('should reject forged, expired, alg=none and ID tokens used as access tokens', async () => {
    const { login } = await setUp(app, adminToken);
    const { access_token: access, id_token: idToken } = (await login().expect(200)).body;
    const claims = jwt.decode(access) as jwt.JwtPayload;
    const header = jwt.decode(access, { complete: true })!.header;
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const jwks = (await http().get('/.well-known/jwks.json')).body.keys;
    // HS256 signed with the public key as the HMAC secret (the classic algorithm confusion).
    const confused = jwt.sign(claims, JSON.stringify(jwks[0]), {
      algorithm: 'HS256',
      keyid: header.kid,
      noTimestamp: true,
    });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = jwt.sign({ ...claims }, privateKey, {
      algorithm: 'ES256',
      keyid: header.kid,
      noTimestamp: true,
    });
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, privateKey, {
      algorithm: 'ES256',
      keyid: header.kid,
    });
    const tampered = `${access.split('.')[0]}.${b64({ ...claims, scope: 'openid admin' })}.${access.split('.')[2]}`;
    for (const token of [none, confused, forged, expired, tampered, idToken, 'garbage']) {
      await http().get('/oauth2/userinfo').auth(token, { type: 'bearer' }).expect(401);
    }
  });

  it('should rotate refresh tokens and revoke the whole family when a rotated one is replayed', async () => {
    const { web, login } = await setUp(app, adminToken);
    const first = (await login().expect(200)).body;
    const refresh = (token: string) =>
      http()
        .post('/oauth2/token')
        .set('Authorization', basic(web.client_id, web.client_secret))
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: token });
    const second = (await refresh(first.refresh_token).expect(200)).body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await http().get('/oauth2/userinfo').auth(second.access_token, { type: 'bearer' }).expect(200);
    // Replay of the rotated token: refused, and the session with all its tokens dies.
    expect((await refresh(first.refresh_token).expect(400)).body.error).toBe('invalid_grant');
    await refresh(second.refresh_token).expect(400);
    await http().get('/oauth2/userinfo').auth(second.access_token, { type: 'bearer' }).expect(401);
  });

  it('should revoke a refresh token (RFC 7009) and answer 200 for unknown tokens', async () => {
    const { web, login } = await setUp(app, adminToken);
    const tokens = (await login().expect(200)).body;
    const auth = basic(web.client_id, web.client_secret);
    await http()
      .post('/oauth2/revoke')
      .set('Authorization', auth)
      .type('form')
      .send({ token: 'unknown' })
      .expect(200);
    await http()
      .post('/oauth2/revoke')
      .set('Authorization', auth)
      .type('form')
      .send({ token: tokens.refresh_token })
      .expect(200);
    await http().get('/oauth2/userinfo').auth(tokens.access_token, { type: 'bearer' }).expect(401);
    await http()
      .post('/oauth2/token')
      .set('Authorization', auth)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
      .expect(400);
  });

  it('should mark tokens of a user who must change the password and confine them to password routes', async () => {
    const { user, login } = await setUp(app, adminToken);
    await http()
      .put(`/admin/users/${user.user_id}/password`)
      .auth(adminToken, { type: 'bearer' })
      .send({ password: 'Temporary-Passw0rd' })
      .expect(204);
    const res = await login('Temporary-Passw0rd', 'openid').expect(200);
    expect(res.body.password_change_required).toBe(true);
    const refused = await http()
      .get('/oauth2/userinfo')
      .auth(res.body.access_token, { type: 'bearer' })
      .expect(403);
    expect(refused.body.error).toBe('password_change_required');
    await http()
      .post('/change_user_password')
      .auth(res.body.access_token, { type: 'bearer' })
      .send({ old_password: 'Temporary-Passw0rd', new_password: 'Chosen-By-Me-Passw0rd' })
      .expect(200);
  });

  it('should refuse a frozen user at sign-in with invalid_grant', async () => {
    const { user, login } = await setUp(app, adminToken);
    await http()
      .patch(`/admin/users/${user.user_id}`)
      .auth(adminToken, { type: 'bearer' })
      .send({ status: 'frozen' })
      .expect(200);
    expect((await login().expect(400)).body.error).toBe('invalid_grant');
  });

  it('should deny admin routes without a token or with a non-admin token', async () => {
    const { login } = await setUp(app, adminToken);
    const userToken = (await login().expect(200)).body.access_token;
    await http().get('/admin/password-policy').expect(401);
    expect(
      (await http().get('/admin/password-policy').auth(userToken, { type: 'bearer' }).expect(403))
        .body.error,
    ).toBe('insufficient_scope');
  });
});

describe('Client authentication (RFC 6749 §2.3.1 encoding)', () => {
  it.each([
    ['colon, plus, percent, space and non-ASCII', 'p:a+s%s w\u00f6rd-0123456789abcdef'],
    ['only reserved characters', ':+%&=?/#'.repeat(3)],
  ])('should accept a secret with %s through HTTP Basic and the body', async (_name, secret) => {
    const app = await createTestApp({ ADMIN_CLIENT_SECRET: secret });
    try {
      await adminTokenOf(app, secret);
      await request(app.getHttpServer())
        .post('/oauth2/token')
        .type('form')
        .send({
          grant_type: 'client_credentials',
          client_id: TEST_ADMIN.clientId,
          client_secret: secret,
        })
        .expect(200);
      // Not decoding (or splitting on every colon) would have to fail:
      const raw = `Basic ${Buffer.from(`${TEST_ADMIN.clientId}:${encodeURIComponent(secret)}x`).toString('base64')}`;
      await request(app.getHttpServer())
        .post('/oauth2/token')
        .set('Authorization', raw)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(401);
    } finally {
      await app.close();
    }
  });
});

describe('Revocation across replicas', () => {
  it('should reject on replica A a token minted before a password change made on replica B, at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-replicas-'));
    const url = process.env.DATABASE_URL?.startsWith('mysql')
      ? process.env.DATABASE_URL
      : `sqlite:${join(dir, 'shared.db')}`;
    const replicaA = await createTestApp({ DATABASE_URL: url });
    const replicaB = await createTestApp({ DATABASE_URL: url });
    try {
      const adminA = await adminTokenOf(replicaA);
      const { user, login } = await setUp(replicaA, adminA);
      const before = (await login().expect(200)).body.access_token;
      await request(replicaB.getHttpServer())
        .get('/oauth2/userinfo')
        .auth(before, { type: 'bearer' })
        .expect(200);
      const adminB = await adminTokenOf(replicaB);
      await request(replicaB.getHttpServer())
        .put(`/admin/users/${user.user_id}/password`)
        .auth(adminB, { type: 'bearer' })
        .send({ password: 'Changed-On-B-Passw0rd', must_change_password: false })
        .expect(204);
      await request(replicaA.getHttpServer())
        .get('/oauth2/userinfo')
        .auth(before, { type: 'bearer' })
        .expect(401);
      // A token minted right after the change works, within the same second.
      const after = (await login('Changed-On-B-Passw0rd').expect(200)).body.access_token;
      await request(replicaB.getHttpServer())
        .get('/oauth2/userinfo')
        .auth(after, { type: 'bearer' })
        .expect(200);
      await request(replicaA.getHttpServer())
        .get('/oauth2/userinfo')
        .auth(after, { type: 'bearer' })
        .expect(200);
    } finally {
      await replicaA.close();
      await replicaB.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
