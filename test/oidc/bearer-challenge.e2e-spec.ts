import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { adminToken, signedInUser } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const RFC6750_URI = 'error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"';

/**
 * RFC 6750 §3: the `WWW-Authenticate` challenge of a Bearer route. Native routes: a request with
 * no credentials gets a bare `Bearer realm="…"` (§3.1: no error code), a bad token
 * `error="invalid_token"`, a token without the scope `error="insufficient_scope"`. Tencent CIAM's
 * routes keep the challenge strings seed 000 prints (API.md §3), missing token included.
 */
describe('Bearer challenges (RFC 6750 §3)', () => {
  let app: NestExpressApplication;
  let access: string;
  let clientToken: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    access = (await signedInUser(app, { scope: 'openid profile' })).tokens.access_token;
    // A client's token: admin scope, but no user and no openid.
    clientToken = await adminToken(app);
  });
  afterAll(() => app.close());

  const nativeRoutes = [
    ['GET /oauth2/userinfo', () => http().get('/oauth2/userinfo')],
    ['POST /oauth2/userinfo', () => http().post('/oauth2/userinfo')],
    ['GET /admin/users', () => http().get('/admin/users')],
    ['POST /admin/keys/rotate', () => http().post('/admin/keys/rotate')],
  ] as const;

  it.each(nativeRoutes)(
    'should answer %s without credentials with 401 and a bare Bearer realm challenge',
    async (_name, send) => {
      const res = await send().expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera"');
      expect(res.headers['www-authenticate']).not.toMatch(/error=/);
    },
  );

  it.each([
    ['no credentials in another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty Bearer', 'Bearer'],
  ])('should treat %s as no credentials', async (_case, authorization) => {
    const res = await http()
      .get('/oauth2/userinfo')
      .set('Authorization', authorization)
      .expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera"');
  });

  it.each(nativeRoutes)(
    'should answer %s with a bad token with 401 invalid_token',
    async (_name, send) => {
      const res = await send().set('Authorization', 'Bearer not.a.jwt').expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera", error="invalid_token"');
      expect(res.body.error).toBe('invalid_token');
    },
  );

  it('should answer a token without the route’s scope with 403 insufficient_scope', async () => {
    const onUserinfo = await http()
      .get('/oauth2/userinfo')
      .auth(clientToken, { type: 'bearer' })
      .expect(403);
    expect(onUserinfo.headers['www-authenticate']).toBe(
      'Bearer realm="tessera", error="insufficient_scope"',
    );
    const onAdmin = await http().get('/admin/users').auth(access, { type: 'bearer' }).expect(403);
    expect(onAdmin.headers['www-authenticate']).toBe(
      'Bearer realm="tessera", error="insufficient_scope"',
    );
  });

  describe('the access token as a form parameter (RFC 6750 §2.2)', () => {
    it('should accept it on POST /oauth2/userinfo', async () => {
      const res = await http()
        .post('/oauth2/userinfo')
        .type('form')
        .send({ access_token: access })
        .expect(200);
      expect(res.body).toHaveProperty('sub');
    });

    it('should refuse a bad one like a bad header token', async () => {
      const res = await http()
        .post('/oauth2/userinfo')
        .type('form')
        .send({ access_token: 'not.a.jwt' })
        .expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera", error="invalid_token"');
    });

    it('should refuse a token sent both in the header and in the body (RFC 6750 §2)', async () => {
      const res = await http()
        .post('/oauth2/userinfo')
        .auth(access, { type: 'bearer' })
        .type('form')
        .send({ access_token: access })
        .expect(400);
      expect(res.body.error).toBe('invalid_request');
    });

    it('should not read it from a JSON body, which RFC 6750 §2.2 does not allow', async () => {
      const res = await http().post('/oauth2/userinfo').send({ access_token: access }).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tessera"');
    });
  });

  describe('Tencent CIAM routes keep the seed 000 challenges', () => {
    const change = () =>
      http().post('/change_user_password').send({ old_password: 'a', new_password: 'b' });

    it('should answer a missing token with 400 invalid_request as the seed prints it', async () => {
      const res = await change().expect(400);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer error="invalid_request", error_description="Bearer token not found in the request", ${RFC6750_URI}`,
      );
    });

    it('should answer a bad token with 401 invalid_token as the seed prints it', async () => {
      const res = await change().set('Authorization', 'Bearer not.a.jwt').expect(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer error="invalid_token", error_description="Error decoding JWT", ${RFC6750_URI}`,
      );
    });
  });
});
