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
const idaas = (error_code: string, error_msg: string) => ({ error_code, error_msg });

/**
 * The IDaaS routes of API.md §3 that take a body, per API. Their controllers do not exist yet;
 * body faults fail before routing, so these paths answer in IDaaS' format already.
 */
const APIS = [
  {
    dialect: 'idaas-tenant',
    area: 'TENANT',
    probe: PROBE_BASES['idaas-tenant'],
    routes: [
      { method: 'post', path: '/api/v2/tenant/token' },
      { method: 'put', path: '/api/v2/tenant/users/:user_id/change-password' },
      { method: 'post', path: '/api/v2/tenant/users' },
      { method: 'post', path: `${PROBE_BASES['idaas-tenant']}/echo` },
    ],
    unknown: ['/api/v2/tenant/users/u-1/nothing', '/api/v2/tenant'],
  },
  {
    dialect: 'idaas-sdk',
    area: 'SDK',
    probe: PROBE_BASES['idaas-sdk'],
    routes: [
      { method: 'post', path: '/api/v2/sdk/login' },
      { method: 'post', path: '/api/v2/sdk/pwd/update' },
      { method: 'post', path: '/api/v2/sdk/email/send' },
      { method: 'post', path: '/api/v2/sdk/pwd/update-by-email' },
      { method: 'post', path: '/api/v2/sdk/pwd/change' },
      { method: 'post', path: '/api/v2/sdk/pwd/update-by-mobile' },
      { method: 'post', path: '/api/v2/sdk/sms/send' },
      { method: 'post', path: `${PROBE_BASES['idaas-sdk']}/echo` },
    ],
    unknown: ['/api/v2/sdk/pwd/nothing', '/api/v2/sdk'],
  },
] as const satisfies ReadonlyArray<{
  dialect: 'idaas-tenant' | 'idaas-sdk';
  area: string;
  probe: string;
  routes: readonly BodyRoute[];
  unknown: readonly string[];
}>;

describe.each(APIS)(
  'IDaaS wire contract ($dialect)',
  ({ dialect, area, probe, routes, unknown }) => {
    let app: NestExpressApplication;
    const http = () => request(app.getHttpServer());
    const wire = (res: request.Response) => ({
      status: res.status,
      body: res.body as unknown,
      type: res.headers['content-type'],
    });
    const invalid = idaas(`IDAAS.${area}.COMMON.0001`, 'Invalid request parameter');
    const expected: Record<BodyFault, { status: number; body: object }> = {
      'malformed JSON': { status: 400, body: invalid },
      'unsupported charset': { status: 400, body: invalid },
      'gzip-encoded header with a plain body': { status: 400, body: invalid },
      'unsupported content encoding': { status: 400, body: invalid },
      'body over the size limit': {
        status: 413,
        body: idaas('IDAAS.COMMON.0413', 'Request body too large'),
      },
      'more than 100 form parameters': { status: 400, body: invalid },
      'JSON nested 2,500 levels deep': { status: 400, body: invalid },
      'text/plain body': {
        status: 415,
        body: idaas('IDAAS.COMMON.0415', 'Content-Type must be application/json'),
      },
    };

    beforeAll(async () => {
      app = await createContractTestApp();
    });

    afterAll(async () => {
      await app.close();
    });

    it('should list every route of the API that takes a body', () => {
      const byName = (r: BodyRoute) => `${r.method} ${r.path}`;
      expect(routes.map(byName)).toEqual(
        expect.arrayContaining(liveBodyRoutes(app, dialect).map(byName)),
      );
    });

    it.each(faultTable(routes))(
      'should answer %s on %s in IDaaS’ format',
      async (fault, _name, route) => {
        await expect(sendFault(app, route, fault).then(wire)).resolves.toEqual({
          ...expectedFault(expected, fault, route),
          type: CONTENT_TYPE,
        });
      },
    );

    it.each(unknown)('should answer GET %s with 404', async (path) => {
      await expect(http().get(path).then(wire)).resolves.toEqual({
        status: 404,
        body: idaas('IDAAS.COMMON.0404', 'Resource not found'),
        type: CONTENT_TYPE,
      });
    });

    it.each(['POST', 'PUT', 'DELETE'])(
      'should answer %s on a GET-only path with 405 and Allow',
      async (method) => {
        const res = await http()[method.toLowerCase() as 'post'](probe);
        expect({ ...wire(res), allow: res.headers.allow }).toEqual({
          status: 405,
          body: idaas('IDAAS.COMMON.0405', 'Request method not supported'),
          type: CONTENT_TYPE,
          allow: 'GET, HEAD',
        });
      },
    );

    it('should answer null where a string is required with 400', async () => {
      await expect(http().post(`${probe}/echo`).send({ value: null }).then(wire)).resolves.toEqual({
        status: 400,
        body: idaas(`IDAAS.${area}.COMMON.0001`, 'Invalid request parameter: value'),
        type: CONTENT_TYPE,
      });
    });

    it('should log an unexpected error with the request id and never send its message', async () => {
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const res = await http().get(`${probe}/boom`).set('X-Request-Id', `${dialect}-req-1`);
        expect(wire(res)).toEqual({
          status: 500,
          body: idaas('IDAAS.COMMON.0500', 'Internal server error'),
          type: CONTENT_TYPE,
        });
        expect(res.text).not.toContain(PROBE_SECRET);
        expect(logged).toHaveBeenCalledWith(
          expect.objectContaining({ requestId: `${dialect}-req-1`, err: expect.any(Error) }),
          expect.any(String),
        );
      } finally {
        logged.mockRestore();
      }
    });
  },
);
