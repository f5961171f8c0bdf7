import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
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

/** Huawei's shape where an IAM code applies (API.md §3). */
const iam = (code: string, message: string) => ({
  error: { code, title: 'Bad Request', message },
  error_code: code,
  error_msg: message,
});
/** Keystone's shape otherwise. */
const keystone = (code: number, title: string, message: string) => ({
  error: { code, title, message },
});

/** Huawei's `/v3.0` shape: `{"error_msg","error_code":"IAM.xxxx"}`. */
const v30 = (code: string, message: string) => ({ error_msg: message, error_code: code });

/** The Huawei IAM routes of API.md §3 that take a body (checked against the live router below). */
const ROUTES: readonly BodyRoute[] = [
  { method: 'post', path: '/v3/auth/tokens' },
  { method: 'post', path: '/v3/users/:user_id/password' },
  { method: 'put', path: '/v3.0/OS-SECURITYPOLICY/domains/:domain_id/password-policy' },
  { method: 'put', path: '/v3.0/OS-SECURITYPOLICY/domains/:domain_id/login-policy' },
  { method: 'post', path: `${PROBE_BASES.huawei}/echo` },
];

const EXPECTED: Record<BodyFault, { status: number; body: object }> = {
  'malformed JSON': { status: 400, body: iam('1100', 'Invalid request: malformed request.') },
  'unsupported charset': {
    status: 400,
    body: iam('1100', 'Invalid request: unsupported encoding.'),
  },
  'gzip-encoded header with a plain body': {
    status: 400,
    body: iam('1100', 'Invalid request: malformed body.'),
  },
  'unsupported content encoding': {
    status: 400,
    body: iam('1100', 'Invalid request: unsupported encoding.'),
  },
  'body over the size limit': {
    status: 413,
    body: keystone(413, 'Request Entity Too Large', 'Request is too large.'),
  },
  'more than 100 form parameters': {
    status: 400,
    body: iam('1100', 'Invalid request: too many parameters.'),
  },
  'JSON nested 2,500 levels deep': {
    status: 400,
    body: iam('1100', 'Invalid request: nesting too deep.'),
  },
  'text/plain body': {
    status: 415,
    body: keystone(415, 'Unsupported Media Type', 'The request body must be application/json.'),
  },
};

/** The same faults on a `/v3.0` route, in that route family's shape. */
const EXPECTED_V3_0: Record<BodyFault, { status: number; body: object }> = {
  'malformed JSON': { status: 400, body: v30('IAM.0001', 'Invalid request: malformed request.') },
  'unsupported charset': {
    status: 400,
    body: v30('IAM.0001', 'Invalid request: unsupported encoding.'),
  },
  'gzip-encoded header with a plain body': {
    status: 400,
    body: v30('IAM.0001', 'Invalid request: malformed body.'),
  },
  'unsupported content encoding': {
    status: 400,
    body: v30('IAM.0001', 'Invalid request: unsupported encoding.'),
  },
  'body over the size limit': { status: 413, body: v30('IAM.0013', 'Request is too large.') },
  'more than 100 form parameters': {
    status: 400,
    body: v30('IAM.0001', 'Invalid request: too many parameters.'),
  },
  'JSON nested 2,500 levels deep': {
    status: 400,
    body: v30('IAM.0001', 'Invalid request: nesting too deep.'),
  },
  'text/plain body': {
    status: 415,
    body: v30('IAM.0015', 'The request body must be application/json.'),
  },
};

describe('Huawei Cloud IAM wire contract', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const wire = (res: request.Response) => ({
    status: res.status,
    body: res.body as unknown,
    type: res.headers['content-type'],
  });

  beforeAll(async () => {
    app = await createContractTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('should list every Huawei route that takes a body', () => {
    const byName = (r: BodyRoute) => `${r.method} ${r.path}`;
    expect(ROUTES.map(byName)).toEqual(
      expect.arrayContaining(liveBodyRoutes(app, 'huawei').map(byName)),
    );
  });

  it.each(faultTable(ROUTES))(
    'should answer %s on %s in Huawei’s format',
    async (fault, _name, route) => {
      const expected = route.path.startsWith('/v3.0/') ? EXPECTED_V3_0 : EXPECTED;
      await expect(sendFault(app, route, fault).then(wire)).resolves.toEqual({
        ...expectedFault(expected, fault, route),
        type: CONTENT_TYPE,
      });
    },
  );

  it('should accept Huawei’s `charset=utf8` spelling', async () => {
    await expect(
      http()
        .post(`${PROBE_BASES.huawei}/echo`)
        .set('Content-Type', 'application/json;charset=utf8')
        .send('{"value":"ok"}')
        .then(wire),
    ).resolves.toEqual({ status: 200, body: { value: 'ok' }, type: CONTENT_TYPE });
  });

  it.each([
    ['POST', '/v3/auth/unknown'],
    ['GET', '/v3/users/u-1/unknown'],
    ['GET', '/v3'],
  ])('should answer %s %s with Keystone’s 404', async (method, path) => {
    await expect(http()[method.toLowerCase() as 'get'](path).then(wire)).resolves.toEqual({
      status: 404,
      body: keystone(404, 'Not Found', 'The resource could not be found.'),
      type: CONTENT_TYPE,
    });
  });

  it('should answer an unknown /v3.0 path with 404 in that route family’s shape', async () => {
    await expect(
      http().put('/v3.0/OS-SECURITYPOLICY/domains/d-1/nothing').then(wire),
    ).resolves.toEqual({
      status: 404,
      body: v30('IAM.0004', 'The resource could not be found.'),
      type: CONTENT_TYPE,
    });
  });

  it.each([
    ['POST', PROBE_BASES.huawei, 'GET, HEAD'],
    ['DELETE', PROBE_BASES.huawei, 'GET, HEAD'],
    ['DELETE', '/v3/auth/tokens', 'GET, HEAD, POST'],
    ['GET', '/v3/users/u-1/password', 'POST'],
  ])('should answer %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const res = await http()[method.toLowerCase() as 'post'](path);
    expect({ ...wire(res), allow: res.headers.allow }).toEqual({
      status: 405,
      body: keystone(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.'),
      type: CONTENT_TYPE,
      allow,
    });
  });

  it.each([
    ['DELETE', '/v3.0/OS-SECURITYPOLICY/domains/d-1/password-policy', 'GET, HEAD, PUT'],
    ['POST', '/v3.0/OS-SECURITYPOLICY/domains/d-1/login-policy', 'GET, HEAD, PUT'],
  ])(
    'should answer %s %s with 405 in the /v3.0 shape and Allow: %s',
    async (method, path, allow) => {
      const res = await http()[method.toLowerCase() as 'post'](path);
      expect({ ...wire(res), allow: res.headers.allow }).toEqual({
        status: 405,
        body: v30('IAM.0005', 'The method is not allowed for the requested URL.'),
        type: CONTENT_TYPE,
        allow,
      });
    },
  );

  it('should answer null where a string is required with 1100', async () => {
    await expect(
      http().post(`${PROBE_BASES.huawei}/echo`).send({ value: null }).then(wire),
    ).resolves.toEqual({
      status: 400,
      body: iam('1100', 'Missing or invalid parameter: value.'),
      type: CONTENT_TYPE,
    });
  });

  it('should log an unexpected error with the request id and never send its message', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const res = await http()
        .get(`${PROBE_BASES.huawei}/boom`)
        .set('X-Request-Id', 'huawei-req-1');
      expect(wire(res)).toEqual({
        status: 500,
        body: keystone(
          500,
          'Internal Server Error',
          'An unexpected error prevented the server from fulfilling your request.',
        ),
        type: CONTENT_TYPE,
      });
      expect(res.text).not.toContain(PROBE_SECRET);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ requestId: 'huawei-req-1', err: expect.any(Error) }),
        expect.any(String),
      );
    } finally {
      logged.mockRestore();
    }
  });
});
