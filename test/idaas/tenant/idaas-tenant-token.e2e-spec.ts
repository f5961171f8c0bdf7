import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ApplicationsService } from '../../../src/applications/applications.service';
import { TokenService } from '../../../src/auth/tokens/token.service';
import { IdaasTenantTokenController } from '../../../src/dialects/idaas/tenant/idaas-tenant-token.controller';
import {
  adminToken,
  basicAuth,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
} from '../../utils/auth-helpers';
import { createTestApp, TEST_ADMIN } from '../../utils/create-test-app';
import { tenantToken } from './tenant-test-app';

const CONTENT_TYPE = 'application/json; charset=utf-8';
const INVALID_ACCESS = {
  status: 400,
  body: { error: 'invalid_token', error_description: 'Invalid access' },
  type: CONTENT_TYPE,
};

describe(IdaasTenantTokenController.name, () => {
  let app: NestExpressApplication;
  let admin: string;
  let m2mAdmin: TestApplication & { client_secret: string };
  const wire = (res: request.Response) => ({
    status: res.status,
    body: res.body as unknown,
    type: res.headers['content-type'],
  });
  const credentials = (client: Pick<TestApplication, 'client_id' | 'client_secret'>) => ({
    grant_type: 'client_credentials',
    client_id: client.client_id,
    client_secret: client.client_secret ?? '',
  });
  /** A tenant route that needs nothing but a token to get past authentication. */
  const tenantRoute = (token?: string) => {
    const req = request(app.getHttpServer())
      .put('/api/v2/tenant/users/no-such-user/change-password')
      .send({ password: 'Fresh-Passw0rd' });
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const USER_NOT_FOUND = {
    status: 400,
    body: { error_code: 'IDAAS.TENANT.USER.0001', error_msg: 'User not found' },
    type: CONTENT_TYPE,
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
    m2mAdmin = (await createApplication(app, admin, {
      type: 'm2m',
      scopes: ['admin'],
    })) as typeof m2mAdmin;
  });

  afterAll(async () => {
    await app.close();
  });

  describe('issuance (client credentials in the query string)', () => {
    it('should issue a bearer token valid 1800 s with scope all to an m2m admin application', async () => {
      const res = await tenantToken(app, credentials(m2mAdmin));
      expect({ ...wire(res), cacheControl: res.headers['cache-control'] }).toEqual({
        status: 200,
        body: {
          access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
          token_type: 'bearer',
          expires_in: 1800,
          scope: 'all',
        },
        type: CONTENT_TYPE,
        cacheControl: 'no-store',
      });
      const claims = JSON.parse(
        Buffer.from((res.body.access_token as string).split('.')[1] ?? '', 'base64url').toString(),
      ) as { exp: number; iat: number; client_id: string; scope: string };
      expect({
        ttl: claims.exp - claims.iat,
        client: claims.client_id,
        scope: claims.scope,
      }).toEqual({ ttl: 1800, client: m2mAdmin.client_id, scope: 'admin' });
      await expect(tenantRoute(res.body.access_token as string).then(wire)).resolves.toEqual(
        USER_NOT_FOUND,
      );
    });

    it('should accept the bootstrap administrator and an explicit scope=all', async () => {
      await expect(
        tenantToken(app, {
          ...credentials({
            client_id: TEST_ADMIN.clientId,
            client_secret: TEST_ADMIN.clientSecret,
          }),
          scope: 'all',
        }).then((res) => res.status),
      ).resolves.toBe(200);
    });

    it.each([
      ['a wrong secret', () => ({ ...credentials(m2mAdmin), client_secret: 'wrong-secret' })],
      ['no secret', () => ({ grant_type: 'client_credentials', client_id: m2mAdmin.client_id })],
      [
        'no client_id',
        () => ({ grant_type: 'client_credentials', client_secret: m2mAdmin.client_secret }),
      ],
      ['an unknown client', () => ({ ...credentials(m2mAdmin), client_id: 'no-such-client' })],
      [
        'a client_id given twice',
        () => ({ ...credentials(m2mAdmin), client_id: [m2mAdmin.client_id, m2mAdmin.client_id] }),
      ],
    ])('should answer invalid_token for %s', async (_case, query) => {
      await expect(tenantToken(app, query() as Record<string, string>).then(wire)).resolves.toEqual(
        INVALID_ACCESS,
      );
    });

    it('should not take the credentials from the body or an HTTP Basic header', async () => {
      await expect(
        request(app.getHttpServer())
          .post('/api/v2/tenant/token')
          .type('form')
          .send(credentials(m2mAdmin))
          .then(wire),
      ).resolves.toEqual(INVALID_ACCESS);
      await expect(
        request(app.getHttpServer())
          .post('/api/v2/tenant/token')
          .query({ grant_type: 'client_credentials' })
          .set('Authorization', basicAuth(m2mAdmin.client_id, m2mAdmin.client_secret))
          .then(wire),
      ).resolves.toEqual(INVALID_ACCESS);
    });

    it('should answer invalid_token to a web application with the admin scope and its right secret', async () => {
      const web = await createApplication(app, admin, { type: 'web', scopes: ['admin'] });
      await expect(tenantToken(app, credentials(web)).then(wire)).resolves.toEqual(INVALID_ACCESS);
    });

    it('should answer invalid_token to a public application (no secret to prove)', async () => {
      const spa = await createApplication(app, admin, { type: 'spa', scopes: ['admin'] });
      await expect(
        tenantToken(app, { grant_type: 'client_credentials', client_id: spa.client_id }).then(wire),
      ).resolves.toEqual(INVALID_ACCESS);
    });

    it('should answer invalid_token to an m2m application without the admin scope', async () => {
      const m2m = await createApplication(app, admin, { type: 'm2m', scopes: ['reports'] });
      await expect(tenantToken(app, credentials(m2m)).then(wire)).resolves.toEqual(INVALID_ACCESS);
    });

    it.each([
      ['grant_type=password', { grant_type: 'password' }, 'grant_type'],
      ['no grant_type', { grant_type: undefined }, 'grant_type'],
      ['scope=admin', { scope: 'admin' }, 'scope'],
      ['an unknown parameter', { colour: 'blue' }, 'colour'],
    ])('should answer IDAAS.TENANT.COMMON.0001 for %s', async (_case, extra, field) => {
      const query = Object.fromEntries(
        Object.entries({ ...credentials(m2mAdmin), ...extra }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>;
      await expect(tenantToken(app, query).then(wire)).resolves.toEqual({
        status: 400,
        body: {
          error_code: 'IDAAS.TENANT.COMMON.0001',
          error_msg: `Invalid request parameter: ${field}`,
        },
        type: CONTENT_TYPE,
      });
    });
  });

  describe('token checks on tenant routes', () => {
    it('should answer invalid_token without an Authorization header', async () => {
      await expect(tenantRoute().then(wire)).resolves.toEqual(INVALID_ACCESS);
    });

    it.each([
      ['a malformed token', 'not-a-jwt'],
      ['a token signed by someone else', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ])('should answer invalid_token for %s', async (_case, token) => {
      await expect(tenantRoute(token).then(wire)).resolves.toEqual(INVALID_ACCESS);
    });

    it('should answer invalid_token for an expired token', async () => {
      const application = await app.get(ApplicationsService).require(m2mAdmin.client_id);
      const expired = app.get(TokenService).issueForClient(application, ['admin'], {
        ttlSeconds: -60,
      }).access_token;
      await expect(tenantRoute(expired).then(wire)).resolves.toEqual(INVALID_ACCESS);
    });

    it('should answer invalid_token for a client token without the admin scope', async () => {
      const m2m = await createApplication(app, admin, { type: 'm2m', scopes: ['reports'] });
      const res = await request(app.getHttpServer())
        .post('/oauth2/token')
        .set('Authorization', basicAuth(m2m.client_id, m2m.client_secret ?? ''))
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      await expect(tenantRoute(res.body.access_token as string).then(wire)).resolves.toEqual(
        INVALID_ACCESS,
      );
    });

    it('should answer invalid_token for the token of a user who is not an administrator', async () => {
      const web = await createApplication(app, admin, { scopes: ['openid', 'admin'] });
      const user = await createUser(app, admin);
      const res = await passwordLogin(app, web, {
        username: user.username,
        password: user.password,
        scope: 'openid',
      }).expect(200);
      await expect(tenantRoute(res.body.access_token as string).then(wire)).resolves.toEqual(
        INVALID_ACCESS,
      );
    });

    it('should answer invalid_token once the application of the token is deleted', async () => {
      const doomed = (await createApplication(app, admin, {
        type: 'm2m',
        scopes: ['admin'],
      })) as typeof m2mAdmin;
      const token = (await tenantToken(app, credentials(doomed)).expect(200)).body
        .access_token as string;
      await expect(tenantRoute(token).then(wire)).resolves.toEqual(USER_NOT_FOUND);
      await request(app.getHttpServer())
        .delete(`/admin/applications/${doomed.client_id}`)
        .auth(admin, { type: 'bearer' })
        .expect(204);
      await expect(tenantRoute(token).then(wire)).resolves.toEqual(INVALID_ACCESS);
    });

    it('should accept the native client_credentials admin token too', async () => {
      await expect(tenantRoute(admin).then(wire)).resolves.toEqual(USER_NOT_FOUND);
    });
  });
});
