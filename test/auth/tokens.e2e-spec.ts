import { createPublicKey, verify } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { SigningKeyService } from '../../src/keys/signing-key.service';
import {
  adminToken,
  basicAuth,
  createApplication,
  createUser,
  passwordLogin,
  refreshGrant,
  signedInUser,
} from '../utils/auth-helpers';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';
import { uniqueCnMobile } from '../utils/unique';

describe('TokenEndpoint', () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());
  const userinfo = (token: string) =>
    http().get('/oauth2/userinfo').auth(token, { type: 'bearer' });

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
  });
  afterAll(() => app.close());

  describe('client authentication', () => {
    it('should accept a JSON body with client_id/client_secret and Tencent auth_source_id', async () => {
      const res = await http()
        .post('/oauth2/token')
        .send({
          grant_type: 'client_credentials',
          client_id: TEST_ADMIN.clientId,
          client_secret: TEST_ADMIN.clientSecret,
          auth_source_id: 'ignored',
        })
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      expect(res.body.scope).toBe('admin');
    });

    it('should refuse credentials in both the Basic header and the body with invalid_request', async () => {
      const res = await http()
        .post('/oauth2/token')
        .set('Authorization', basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret))
        .type('form')
        .send({ grant_type: 'client_credentials', client_secret: TEST_ADMIN.clientSecret })
        .expect(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('should answer invalid_client with WWW-Authenticate when no client is named, or an unknown one', async () => {
      for (const req of [
        http().post('/oauth2/token').type('form').send({ grant_type: 'client_credentials' }),
        http()
          .post('/oauth2/token')
          .set('Authorization', basicAuth('no-such-client', 'secret'))
          .type('form')
          .send({ grant_type: 'client_credentials' }),
        http()
          .post('/oauth2/token')
          .set('Authorization', 'Basic !!!not-base64')
          .type('form')
          .send({ grant_type: 'client_credentials' }),
      ]) {
        const res = await req.expect(401);
        expect(res.body.error).toBe('invalid_client');
        expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      }
    });

    it('should refuse a confidential client that sends no secret', async () => {
      const web = await createApplication(app, admin);
      const res = await http()
        .post('/oauth2/token')
        .type('form')
        .send({ grant_type: 'password', client_id: web.client_id, username: 'x', password: 'y' })
        .expect(401);
      expect(res.body.error).toBe('invalid_client');
    });

    it('should answer invalid_request for non-string parameters in a JSON body', async () => {
      const res = await http()
        .post('/oauth2/token')
        .set('Authorization', basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret))
        .send({ grant_type: 'client_credentials', scope: ['admin'] })
        .expect(400);
      expect(res.body.error).toBe('invalid_request');
    });
  });

  describe('client_credentials', () => {
    it('should grant a subset of the application scopes and refuse others', async () => {
      const m2m = await createApplication(app, admin, { type: 'm2m', scopes: ['read', 'write'] });
      const grant = (scope?: string) =>
        http()
          .post('/oauth2/token')
          .set('Authorization', basicAuth(m2m.client_id, m2m.client_secret!))
          .type('form')
          .send(
            scope === undefined
              ? { grant_type: 'client_credentials' }
              : { grant_type: 'client_credentials', scope },
          );
      expect((await grant().expect(200)).body.scope).toBe('read write');
      const narrowed = (await grant('write').expect(200)).body;
      expect(narrowed).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
        scope: 'write',
      });
      expect(narrowed.refresh_token).toBeUndefined();
      expect((await grant('read admin').expect(400)).body.error).toBe('invalid_scope');
    });

    it('should refuse client_credentials to non-m2m clients', async () => {
      const web = await createApplication(app, admin);
      const res = await http()
        .post('/oauth2/token')
        .set('Authorization', basicAuth(web.client_id, web.client_secret!))
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(400);
      expect(res.body.error).toBe('unauthorized_client');
    });

    it('should invalidate a client token once its application is deleted', async () => {
      const m2m = await createApplication(app, admin, { type: 'm2m', scopes: ['admin'] });
      const token = (
        await http()
          .post('/oauth2/token')
          .set('Authorization', basicAuth(m2m.client_id, m2m.client_secret!))
          .type('form')
          .send({ grant_type: 'client_credentials' })
          .expect(200)
      ).body.access_token as string;
      await http().get('/admin/password-policy').auth(token, { type: 'bearer' }).expect(200);
      await http()
        .delete(`/admin/applications/${m2m.client_id}`)
        .auth(admin, { type: 'bearer' })
        .expect(204);
      const res = await http()
        .get('/admin/password-policy')
        .auth(token, { type: 'bearer' })
        .expect(401);
      expect(res.body.error).toBe('invalid_token');
    });
  });

  describe('password', () => {
    it('should issue an access token with the pinned claims, verifiable with the published JWK by node:crypto', async () => {
      const { client, user, tokens } = await signedInUser(app);
      const [header, payload, signature] = tokens.access_token.split('.') as [
        string,
        string,
        string,
      ];
      const jwks = (await http().get('/.well-known/jwks.json').expect(200)).body.keys as Array<
        Record<string, string>
      >;
      const { kid, alg, typ } = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<
        string,
        string
      >;
      expect(alg).toBe('ES256');
      expect(typ).toBe('at+jwt');
      const key = createPublicKey({ key: jwks.find((k) => k.kid === kid)!, format: 'jwk' });
      const valid = verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        { key, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
      expect(valid).toBe(true);
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const issuer = (await http().get('/.well-known/openid-configuration').expect(200)).body
        .issuer as string;
      expect(claims).toEqual(
        expect.objectContaining({
          iss: issuer,
          aud: issuer,
          sub: user.user_id,
          client_id: client.client_id,
          scope: 'openid profile email',
          sid: expect.any(String),
          cv: expect.any(Number),
          jti: expect.any(String),
          iat: expect.any(Number),
          exp: expect.any(Number),
        }),
      );
      expect(claims.pcr).toBeUndefined();
      expect((claims.exp as number) - (claims.iat as number)).toBe(
        (await passwordLogin(app, client, user).expect(200)).body.expires_in,
      );
    });

    it('should sign in by email and by phone number (E.164 or national)', async () => {
      const client = await createApplication(app, admin);
      const phone = uniqueCnMobile();
      const user = await createUser(app, admin, { phone_number: phone });
      for (const username of [user.email!, user.email!.toUpperCase(), phone, phone.slice(3)]) {
        const res = await passwordLogin(app, client, { username, password: user.password }).expect(
          200,
        );
        expect((jwt.decode(res.body.access_token) as jwt.JwtPayload).sub).toBe(user.user_id);
      }
    });

    it('should sign in at a public client with client_id alone', async () => {
      const spa = await createApplication(app, admin, { type: 'spa' });
      expect(spa.client_secret).toBeUndefined();
      const user = await createUser(app, admin);
      const res = await passwordLogin(app, spa, user).expect(200);
      expect(res.body.refresh_token).toEqual(expect.any(String));
    });

    it('should answer invalid_grant for a wrong password and an unknown user alike', async () => {
      const client = await createApplication(app, admin);
      const user = await createUser(app, admin);
      const wrong = await passwordLogin(app, client, {
        username: user.username,
        password: 'Wrong-Passw0rd',
      }).expect(400);
      const unknown = await passwordLogin(app, client, {
        username: 'nobody-here',
        password: 'Wrong-Passw0rd',
      }).expect(400);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error).toBe('invalid_grant');
      expect(wrong.headers['cache-control']).toBe('no-store');
    });

    it('should refuse the correct password of a locked user with invalid_grant until unlocked', async () => {
      const client = await createApplication(app, admin);
      const user = await createUser(app, admin);
      for (let i = 0; i < 5; i += 1) {
        await passwordLogin(app, client, {
          username: user.username,
          password: 'Wrong-Passw0rd',
        }).expect(400);
      }
      const locked = await passwordLogin(app, client, user).expect(400);
      expect(locked.body.error).toBe('invalid_grant');
      await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ status: 'active' })
        .expect(200);
      await passwordLogin(app, client, user).expect(200);
    });

    it('should refuse scopes the application may not grant and a missing password', async () => {
      const client = await createApplication(app, admin, { scopes: ['openid'] });
      const user = await createUser(app, admin);
      const res = await passwordLogin(app, client, { ...user, scope: 'openid admin' }).expect(400);
      expect(res.body.error).toBe('invalid_scope');
      const missing = await http()
        .post('/oauth2/token')
        .set('Authorization', basicAuth(client.client_id, client.client_secret!))
        .type('form')
        .send({ grant_type: 'password', username: user.username })
        .expect(400);
      expect(missing.body.error).toBe('invalid_request');
    });

    it('should put claims in the ID token and userinfo only for the scopes granted', async () => {
      const { client, user, tokens } = await signedInUser(app, {
        scope: 'openid',
        user: { name: '张三' },
      });
      const id = jwt.decode(tokens.id_token!) as jwt.JwtPayload;
      expect(id).toEqual(
        expect.objectContaining({
          aud: client.client_id,
          sub: user.user_id,
          sid: expect.any(String),
        }),
      );
      expect(id.email).toBeUndefined();
      expect(id.preferred_username).toBeUndefined();
      expect((await userinfo(tokens.access_token).expect(200)).body).toEqual({ sub: user.user_id });

      const full = (
        await passwordLogin(app, client, { ...user, scope: 'openid profile email' }).expect(200)
      ).body;
      expect(jwt.decode(full.id_token)).toEqual(
        expect.objectContaining({
          preferred_username: user.username,
          name: '张三',
          email: user.email,
        }),
      );
      const withoutOpenid = (
        await passwordLogin(app, client, { ...user, scope: 'profile' }).expect(200)
      ).body;
      expect(withoutOpenid.id_token).toBeUndefined();
      const res = await userinfo(withoutOpenid.access_token).expect(403);
      expect(res.body.error).toBe('insufficient_scope');
    });

    it('should mark the token and its claims when the user must change the password', async () => {
      const client = await createApplication(app, admin);
      const user = await createUser(app, admin, { must_change_password: true });
      const res = await passwordLogin(app, client, user).expect(200);
      expect(res.body.password_change_required).toBe(true);
      expect((jwt.decode(res.body.access_token) as jwt.JwtPayload).pcr).toBe(true);
      const refreshed = (await refreshGrant(app, client, res.body.refresh_token).expect(200)).body;
      expect(refreshed.password_change_required).toBe(true);
    });

    it('should invalidate the tokens of a deleted user', async () => {
      const { user, tokens } = await signedInUser(app);
      await userinfo(tokens.access_token).expect(200);
      await http()
        .delete(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .expect(204);
      expect((await userinfo(tokens.access_token).expect(401)).body.error).toBe('invalid_token');
    });
  });

  describe('refresh_token', () => {
    it('should refuse a refresh token after the password was set, and at another client', async () => {
      const { client, user, tokens } = await signedInUser(app);
      const other = await createApplication(app, admin);
      expect((await refreshGrant(app, other, tokens.refresh_token).expect(400)).body.error).toBe(
        'invalid_grant',
      );
      await http()
        .put(`/admin/users/${user.user_id}/password`)
        .auth(admin, { type: 'bearer' })
        .send({ password: 'Another-Passw0rd-1', must_change_password: false })
        .expect(204);
      expect((await refreshGrant(app, client, tokens.refresh_token).expect(400)).body.error).toBe(
        'invalid_grant',
      );
      await userinfo(tokens.access_token).expect(401);
    });

    it('should refuse a frozen user without spending the refresh token', async () => {
      const { client, user, tokens } = await signedInUser(app);
      const setStatus = (status: string) =>
        http()
          .patch(`/admin/users/${user.user_id}`)
          .auth(admin, { type: 'bearer' })
          .send({ status })
          .expect(200);
      await setStatus('frozen');
      // Freezing does not revoke (API.md §2), but every request checks the status.
      expect((await userinfo(tokens.access_token).expect(403)).body.error).toBe('user_frozen');
      expect((await refreshGrant(app, client, tokens.refresh_token).expect(400)).body.error).toBe(
        'invalid_grant',
      );
      await setStatus('active');
      await userinfo(tokens.access_token).expect(200);
      const rotated = (await refreshGrant(app, client, tokens.refresh_token).expect(200)).body;
      expect(jwt.decode(rotated.access_token)).toEqual(
        expect.objectContaining({ sid: (jwt.decode(tokens.access_token) as jwt.JwtPayload).sid }),
      );
    });

    it('should let a refresh narrow the scope but never widen it (RFC 6749 §6)', async () => {
      const { client, tokens } = await signedInUser(app, { scope: 'openid profile' });
      const narrow = (scope: string, token: string) =>
        request(app.getHttpServer())
          .post('/oauth2/token')
          .set('Authorization', basicAuth(client.client_id, client.client_secret!))
          .type('form')
          .send({ grant_type: 'refresh_token', refresh_token: token, scope });
      expect((await narrow('openid email', tokens.refresh_token).expect(400)).body.error).toBe(
        'invalid_scope',
      );
      // The refusal did not spend the token.
      const narrowed = (await narrow('profile', tokens.refresh_token).expect(200)).body;
      expect(narrowed.scope).toBe('profile');
      expect(narrowed.id_token).toBeUndefined();
      expect((jwt.decode(narrowed.access_token) as jwt.JwtPayload).scope).toBe('profile');
      // The session keeps its scope for the next rotation.
      const full = (await refreshGrant(app, client, narrowed.refresh_token).expect(200)).body;
      expect(full.scope).toBe('openid profile');
    });

    it('should let only one of two concurrent uses of a refresh token win', async () => {
      const { client, tokens } = await signedInUser(app);
      const results = await Promise.all([
        refreshGrant(app, client, tokens.refresh_token),
        refreshGrant(app, client, tokens.refresh_token),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    });
  });

  describe('revoke', () => {
    it('should revoke the session of an access token, but not for another client', async () => {
      const { client, tokens } = await signedInUser(app);
      const other = await createApplication(app, admin);
      const revoke = (by: typeof client) =>
        http()
          .post('/oauth2/revoke')
          .set('Authorization', basicAuth(by.client_id, by.client_secret!))
          .type('form')
          .send({ token: tokens.access_token, token_type_hint: 'access_token' })
          .expect(200);
      await revoke(other);
      await userinfo(tokens.access_token).expect(200);
      await revoke(client);
      await userinfo(tokens.access_token).expect(401);
      await refreshGrant(app, client, tokens.refresh_token).expect(400);
    });

    it('should require client authentication and a token', async () => {
      const { client } = await signedInUser(app);
      await http().post('/oauth2/revoke').type('form').send({ token: 'x' }).expect(401);
      const res = await http()
        .post('/oauth2/revoke')
        .set('Authorization', basicAuth(client.client_id, client.client_secret!))
        .type('form')
        .send({})
        .expect(400);
      expect(res.body.error).toBe('invalid_request');
    });
  });

  describe('bearer token validation', () => {
    it('should reject tokens signed with the real key but expired, for another audience or issuer, or with an unknown kid', async () => {
      const { tokens } = await signedInUser(app);
      const claims = jwt.decode(tokens.access_token) as jwt.JwtPayload;
      const key = app.get(SigningKeyService).current();
      const sign = (payload: object, kid = key.kid) =>
        jwt.sign(payload, key.privateKey, { algorithm: 'ES256', keyid: kid, noTimestamp: true });
      const now = Math.floor(Date.now() / 1000);
      // The real key, unchanged claims: accepted (so the refusals below are for the stated reason).
      await userinfo(sign(claims)).expect(200);
      for (const token of [
        sign({ ...claims, iat: now - 7200, exp: now - 3600 }),
        sign({ ...claims, aud: claims.client_id }),
        sign({ ...claims, iss: 'https://evil.example' }),
        sign({ ...claims, token_use: undefined }),
        sign(claims, 'unknown-kid'),
      ]) {
        expect((await userinfo(token).expect(401)).body.error).toBe('invalid_token');
      }
    });

    it('should check the session and credential version on every request, though the signature is verified once', async () => {
      const { user, tokens } = await signedInUser(app);
      // The second request is served from the verified-token cache.
      await userinfo(tokens.access_token).expect(200);
      await userinfo(tokens.access_token).expect(200);
      await http()
        .put(`/admin/users/${user.user_id}/password`)
        .auth(admin, { type: 'bearer' })
        .send({ password: 'An0ther-Passw0rd-Set' })
        .expect(204);
      const res = await userinfo(tokens.access_token).expect(401);
      expect(res.body.error).toBe('invalid_token');
    });

    it('should refuse a verified token once it expires', async () => {
      const { tokens } = await signedInUser(app);
      const claims = jwt.decode(tokens.access_token) as jwt.JwtPayload;
      const key = app.get(SigningKeyService).current();
      const now = Math.floor(Date.now() / 1000);
      const shortLived = jwt.sign({ ...claims, iat: now, exp: now + 1 }, key.privateKey, {
        algorithm: 'ES256',
        keyid: key.kid,
        noTimestamp: true,
      });
      await userinfo(shortLived).expect(200);
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * 1000 - Date.now() + 50));
      expect((await userinfo(shortLived).expect(401)).body.error).toBe('invalid_token');
    });

    it('should tell a missing token from an invalid one', async () => {
      const missing = await http().get('/oauth2/userinfo').expect(401);
      expect(missing.body.error).toBe('invalid_request');
      const invalid = await userinfo('not-a-jwt').expect(401);
      expect(invalid.body.error).toBe('invalid_token');
    });
  });

  describe('discovery', () => {
    it('should publish OpenID Provider metadata and a cacheable JWKS', async () => {
      const res = await http().get('/.well-known/openid-configuration').expect(200);
      const issuer = res.body.issuer as string;
      expect(res.body).toEqual(
        expect.objectContaining({
          token_endpoint: `${issuer}/oauth2/token`,
          revocation_endpoint: `${issuer}/oauth2/revoke`,
          userinfo_endpoint: `${issuer}/oauth2/userinfo`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256', 'ES256'],
        }),
      );
      expect(res.body.grant_types_supported).toEqual(
        expect.arrayContaining([
          'client_credentials',
          'password',
          'refresh_token',
          'http://tencentciam.com/oauth2/grant-type/otp/sms',
          'http://tencentciam.com/oauth2/grant-type/otp/email',
        ]),
      );
      const jwks = await http().get('/.well-known/jwks.json').expect(200);
      expect(jwks.headers['cache-control']).toMatch(/public/);
      for (const key of jwks.body.keys as Array<Record<string, string>>) {
        expect(key).toEqual(
          key.alg === 'RS256'
            ? expect.objectContaining({ kty: 'RSA', e: 'AQAB', use: 'sig' })
            : expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' }),
        );
        expect(key.d).toBeUndefined();
      }
    });
  });
});
