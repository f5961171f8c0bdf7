import { gzipSync } from 'node:zlib';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { adminToken, createUser } from '../utils/auth-helpers';
import {
  type BodyFault,
  type BodyRoute,
  expectedFault,
  faultTable,
  liveBodyRoutes,
  sendFault,
} from './client-faults';
import { createContractTestApp, PROBE_BASES, PROBE_SECRET } from './contract-test-app';

const CONTENT_TYPE = 'application/json; charset=utf-8';
/** Sends a Buffer untouched; superagent would otherwise form- or JSON-encode it by content type. */
const asIs = (body: Buffer): string => body as unknown as string;
const INVALID_REQUEST = {
  error: 'invalid_request',
  error_description: 'The request is malformed or has invalid parameters.',
};
const TOO_LARGE = {
  error: 'payload_too_large',
  error_description: 'The request body is too large.',
};
const NOT_FOUND = { error: 'not_found', error_description: 'No such resource.' };
const UNSUPPORTED_MEDIA_TYPE = {
  error: 'unsupported_media_type',
  error_description: 'The request body must be sent in a supported content type.',
};
const METHOD_NOT_ALLOWED = {
  error: 'method_not_allowed',
  error_description: 'The method is not allowed on this resource.',
};

/** Every native route that takes a body (checked against the live router below). */
const ROUTES: readonly BodyRoute[] = [
  { method: 'post', path: '/oauth2/token' },
  { method: 'post', path: '/oauth2/revoke' },
  { method: 'post', path: '/oauth2/userinfo' },
  { method: 'post', path: '/admin/users' },
  { method: 'patch', path: '/admin/users/:user_id' },
  { method: 'put', path: '/admin/users/:user_id/password' },
  { method: 'put', path: '/admin/password-policy' },
  { method: 'put', path: '/admin/applications/:client_id/password-policy' },
  { method: 'post', path: '/admin/applications' },
  { method: 'patch', path: '/admin/applications/:client_id' },
  { method: 'post', path: '/admin/keys/rotate' },
];

const EXPECTED: Record<BodyFault, { status: number; body: object }> = {
  'malformed JSON': { status: 400, body: INVALID_REQUEST },
  'unsupported charset': { status: 400, body: INVALID_REQUEST },
  'gzip-encoded header with a plain body': { status: 400, body: INVALID_REQUEST },
  'unsupported content encoding': { status: 400, body: INVALID_REQUEST },
  'body over the size limit': { status: 413, body: TOO_LARGE },
  'more than 100 form parameters': { status: 400, body: INVALID_REQUEST },
  'JSON nested 2,500 levels deep': { status: 400, body: INVALID_REQUEST },
  'text/plain body': { status: 415, body: UNSUPPORTED_MEDIA_TYPE },
};

describe('Native wire contract', () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createContractTestApp();
    admin = await adminToken(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('should list every native route that takes a body', () => {
    const byName = (r: BodyRoute) => `${r.method} ${r.path}`;
    expect(liveBodyRoutes(app, 'native').map(byName).sort()).toEqual(ROUTES.map(byName).sort());
  });

  it.each(faultTable(ROUTES))(
    'should answer %s on %s in the native format',
    async (fault, _name, route) => {
      const res = await sendFault(app, route, fault);
      expect({ status: res.status, body: res.body, type: res.headers['content-type'] }).toEqual({
        ...expectedFault(EXPECTED, fault, route),
        type: CONTENT_TYPE,
      });
    },
  );

  it('should accept a gzip-encoded body that is gzip', async () => {
    const res = await http()
      .post('/oauth2/token')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('Content-Encoding', 'gzip')
      .serialize(asIs)
      .send(gzipSync('grant_type=client_credentials&client_id=nobody'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
  });

  it('should count the inflated size of a compressed body against the limit', async () => {
    const res = await http()
      .post('/admin/users')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(asIs)
      .send(gzipSync(`{"a":"${'x'.repeat(64 * 1024)}"}`));
    expect({ status: res.status, body: res.body }).toEqual({ status: 413, body: TOO_LARGE });
  });

  it.each([
    ['POST', '/oauth2/token/extra'],
    ['GET', '/admin/users/u-1/unknown'],
    ['GET', '/no-such-path'],
  ])('should answer %s %s with 404', async (method, path) => {
    const res = await http()[method.toLowerCase() as 'get' | 'post'](path);
    expect({ status: res.status, body: res.body, type: res.headers['content-type'] }).toEqual({
      status: 404,
      body: NOT_FOUND,
      type: CONTENT_TYPE,
    });
  });

  it.each([
    ['GET', '/oauth2/token', 'POST'],
    ['GET', '/oauth2/revoke', 'POST'],
    ['PUT', '/oauth2/userinfo', 'GET, HEAD, POST'],
    ['PUT', '/admin/users', 'GET, HEAD, POST'],
    ['POST', '/admin/users/u-1', 'DELETE, GET, HEAD, PATCH'],
    ['POST', '/.well-known/jwks.json', 'GET, HEAD'],
    ['OPTIONS', '/admin/password-policy', 'GET, HEAD, PUT'],
    ['POST', PROBE_BASES.native, 'GET, HEAD'],
  ])('should answer %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const res = await http()[method.toLowerCase() as 'get'](path);
    expect({
      status: res.status,
      body: res.body,
      type: res.headers['content-type'],
      allow: res.headers.allow,
    }).toEqual({ status: 405, body: METHOD_NOT_ALLOWED, type: CONTENT_TYPE, allow });
  });

  describe('null where a string is required', () => {
    it('should refuse password: null on POST /admin/users', async () => {
      const res = await http()
        .post('/admin/users')
        .auth(admin, { type: 'bearer' })
        .send({ username: 'null-password', password: null });
      expect({ status: res.status, body: res.body }).toEqual({
        status: 400,
        body: {
          ...INVALID_REQUEST,
          fields: [
            {
              field: 'password',
              problems: expect.arrayContaining(['password must be a string']),
            },
          ],
        },
      });
    });

    it.each([
      ['post', '/admin/users', { username: 'u', email: null }, 'email'],
      [
        'post',
        '/admin/users',
        { username: 'u', must_change_password: null },
        'must_change_password',
      ],
      ['post', '/admin/applications', { name: 'n', type: 'web', scopes: null }, 'scopes'],
      ['patch', '/admin/users/u-1', { status: null }, 'status'],
      [
        'put',
        '/admin/users/u-1/password',
        { password: 'x', must_change_password: null },
        'must_change_password',
      ],
    ] as const)('should refuse null on %s %s (%j)', async (method, path, body, field) => {
      const res = await http()[method](path).auth(admin, { type: 'bearer' }).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ...INVALID_REQUEST, fields: [{ field }] });
    });

    it('should still let PATCH /admin/users clear email, phone_number and name with null', async () => {
      const user = await createUser(app, admin, { name: '张三' });
      const res = await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ email: null, phone_number: null, name: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email: null, phone_number: null, name: null });
    });
  });

  it('should log an unexpected error with the request id and never send its message', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const res = await http()
        .get(`${PROBE_BASES.native}/boom`)
        .set('X-Request-Id', 'native-req-1');
      expect({ status: res.status, body: res.body, type: res.headers['content-type'] }).toEqual({
        status: 500,
        body: { error: 'server_error', error_description: 'Internal server error.' },
        type: CONTENT_TYPE,
      });
      expect(res.text).not.toContain(PROBE_SECRET);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ requestId: 'native-req-1', err: expect.any(Error) }),
        expect.any(String),
      );
    } finally {
      logged.mockRestore();
    }
  });
});
