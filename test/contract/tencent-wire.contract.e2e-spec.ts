import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { basicAuth, signedInUser } from '../utils/auth-helpers';
import {
  type BodyFault,
  type BodyRoute,
  expectedFault,
  faultTable,
  liveBodyRoutes,
  sendFault,
} from './client-faults';
import { createContractTestApp, PROBE_BASES, PROBE_SECRET } from './contract-test-app';

const CONTENT_TYPE = 'application/json;charset=UTF-8';
const INVALID_REQUEST = { error: 'invalid_request' };

/** Every Tencent Cloud CIAM route that takes a body (checked against the live router below). */
const ROUTES: readonly BodyRoute[] = [
  { method: 'post', path: '/change_user_password' },
  { method: 'post', path: '/reset_user_password' },
  { method: 'post', path: '/otp/send' },
];

const EXPECTED: Record<BodyFault, { status: number; body: object }> = {
  'malformed JSON': { status: 400, body: INVALID_REQUEST },
  'unsupported charset': { status: 400, body: INVALID_REQUEST },
  'gzip-encoded header with a plain body': { status: 400, body: INVALID_REQUEST },
  'unsupported content encoding': { status: 400, body: INVALID_REQUEST },
  'body over the size limit': {
    status: 413,
    body: { error: 'invalid_request', error_description: 'Request body too large.' },
  },
  'more than 100 form parameters': { status: 400, body: INVALID_REQUEST },
  'JSON nested 2,500 levels deep': { status: 400, body: INVALID_REQUEST },
  'text/plain body': {
    status: 415,
    body: { error: 'invalid_request', error_description: 'Content-Type must be application/json.' },
  },
};

describe('Tencent Cloud CIAM wire contract', () => {
  let app: NestExpressApplication;
  let session: Awaited<ReturnType<typeof signedInUser>>;
  const http = () => request(app.getHttpServer());
  const wire = (res: request.Response) => ({
    status: res.status,
    body: res.body as unknown,
    type: res.headers['content-type'],
  });

  beforeAll(async () => {
    app = await createContractTestApp();
    session = await signedInUser(app, { scope: 'openid' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('should list every Tencent route that takes a body', () => {
    const byName = (r: BodyRoute) => `${r.method} ${r.path}`;
    expect(liveBodyRoutes(app, 'tencent').map(byName).sort()).toEqual(ROUTES.map(byName).sort());
  });

  it.each(faultTable(ROUTES))(
    'should answer %s on %s in Tencent’s format',
    async (fault, _name, route) => {
      await expect(sendFault(app, route, fault).then(wire)).resolves.toEqual({
        ...expectedFault(EXPECTED, fault, route),
        type: CONTENT_TYPE,
      });
    },
  );

  it.each([
    ['POST', '/change_user_password/extra'],
    ['POST', '/reset_user_password/extra/deeper'],
    ['GET', '/otp/send/unknown'],
  ])('should answer %s %s with Tencent’s 404', async (method, path) => {
    await expect(http()[method.toLowerCase() as 'get'](path).then(wire)).resolves.toEqual({
      status: 404,
      body: { error: 'not_found' },
      type: CONTENT_TYPE,
    });
  });

  it.each([
    ['GET', '/change_user_password'],
    ['PUT', '/reset_user_password'],
    ['DELETE', '/otp/send'],
    ['OPTIONS', '/change_user_password'],
  ])('should answer %s %s with Tencent’s 405 and Allow: POST', async (method, path) => {
    const res = await http()[method.toLowerCase() as 'get'](path);
    expect({ ...wire(res), allow: res.headers.allow }).toEqual({
      status: 405,
      body: { error: 'invalid_request', error_description: 'Method not allowed.' },
      type: CONTENT_TYPE,
      allow: 'POST',
    });
  });

  describe('null where a string is required', () => {
    const withClient = (path: string) =>
      http()
        .post(path)
        .set(
          'Authorization',
          basicAuth(session.client.client_id, session.client.client_secret ?? ''),
        );

    it('should refuse email_otp_token: null on /reset_user_password', async () => {
      await expect(
        withClient('/reset_user_password')
          .send({
            email: session.user.email,
            email_otp_token: null,
            email_otp: '123456',
            password: 'New-Passw0rd-1',
          })
          .then(wire),
      ).resolves.toEqual({ status: 400, body: INVALID_REQUEST, type: CONTENT_TYPE });
    });

    it.each([
      ['/reset_user_password', { phone_number: null, password: 'New-Passw0rd-1' }],
      [
        '/reset_user_password',
        { email: 'a@example.com', email_otp_token: 't', email_otp: null, password: 'x' },
      ],
      ['/otp/send', { usage: 'reset_password', email: null }],
      ['/otp/send', { usage: null, email: 'a@example.com' }],
      ['/otp/send', { email: 'a@example.com', client_secret: null }],
    ])('should refuse null on %s (%j)', async (path, body) => {
      await expect(withClient(path).send(body).then(wire)).resolves.toEqual({
        status: 400,
        body: INVALID_REQUEST,
        type: CONTENT_TYPE,
      });
    });

    it('should refuse old_password: null on /change_user_password', async () => {
      await expect(
        http()
          .post('/change_user_password')
          .auth(session.tokens.access_token, { type: 'bearer' })
          .send({ old_password: null, new_password: 'New-Passw0rd-1' })
          .then(wire),
      ).resolves.toEqual({ status: 400, body: INVALID_REQUEST, type: CONTENT_TYPE });
    });
  });

  it('should log an unexpected error with the request id and never send its message', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const res = await http()
        .get(`${PROBE_BASES.tencent}/boom`)
        .set('X-Request-Id', 'tencent-req-1');
      expect(wire(res)).toEqual({
        status: 500,
        body: { error: 'server_error' },
        type: CONTENT_TYPE,
      });
      expect(res.text).not.toContain(PROBE_SECRET);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ requestId: 'tencent-req-1', err: expect.any(Error) }),
        expect.any(String),
      );
    } finally {
      logged.mockRestore();
    }
  });
});
