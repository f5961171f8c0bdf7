import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { requireSupportedMediaType } from '../../src/common/http/media-type.middleware';
import { MetricsTokenScheme } from '../../src/metrics/metrics-token.scheme';
import { adminToken, basicAuth, createUser, type TestUser } from '../utils/auth-helpers';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';

const NATIVE_415 = {
  status: 415,
  body: {
    error: 'unsupported_media_type',
    error_description: 'The request body must be sent in a supported content type.',
  },
};
const TENCENT_415 = {
  status: 415,
  body: { error: 'invalid_request', error_description: 'Content-Type must be application/json.' },
};
const HUAWEI_415 = {
  status: 415,
  body: {
    error: {
      code: 415,
      title: 'Unsupported Media Type',
      message: 'The request body must be application/json.',
    },
  },
};
const IDAAS_415 = {
  status: 415,
  body: { error_code: 'IDAAS.COMMON.0415', error_msg: 'Content-Type must be application/json' },
};

type BodyKind = 'text/plain' | 'multipart' | 'no content type';
const BODY_KINDS: readonly BodyKind[] = ['text/plain', 'multipart', 'no content type'];

/** A raw answer: supertest cannot send a body without setting a content type. */
interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Issue 10 finding 7: bodies the parsers skip must not become empty updates (415 in the path's
 * dialect), JSON answers are `nosniff`, `/docs` cannot be framed, `/metrics` needs METRICS_TOKEN.
 */
describe(`${requireSupportedMediaType.name}, helmet and ${MetricsTokenScheme.name}`, () => {
  let app: NestExpressApplication;
  let admin: string;
  let user: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    admin = await adminToken(app);
    user = await createUser(app, admin, { name: 'Original Name' });
  });
  afterAll(() => app.close());

  /** Sends `method path` with a JSON-looking body in the given kind, over a plain socket. */
  function sendBody(
    method: string,
    path: string,
    kind: BodyKind,
    headers: Record<string, string> = {},
  ): Promise<RawAnswer> {
    const json = JSON.stringify({ name: 'Changed', min_length: 1, password: 'Aa1!aaaaaaaa' });
    const boundary = 'tessera-boundary';
    const payload =
      kind === 'multipart'
        ? `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nChanged\r\n--${boundary}--\r\n`
        : json;
    const type =
      kind === 'text/plain'
        ? 'text/plain'
        : kind === 'multipart'
          ? `multipart/form-data; boundary=${boundary}`
          : undefined;
    const { port } = app.getHttpServer().address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: {
            ...headers,
            ...(type && { 'Content-Type': type }),
            'Content-Length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text === '' ? undefined : (JSON.parse(text) as unknown),
            });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  describe('bodies in a media type the route does not parse', () => {
    it.each(BODY_KINDS)(
      'should refuse PATCH /admin/users/{id} with a %s body as 415 and change nothing',
      async (kind) => {
        const answer = await sendBody('PATCH', `/admin/users/${user.user_id}`, kind, {
          Authorization: `Bearer ${admin}`,
        });
        expect({ status: answer.status, body: answer.body }).toEqual(NATIVE_415);
        const after = await http()
          .get(`/admin/users/${user.user_id}`)
          .auth(admin, { type: 'bearer' })
          .expect(200);
        expect(after.body.name).toBe('Original Name');
      },
    );

    it.each(BODY_KINDS)(
      'should refuse PUT /admin/password-policy with a %s body as 415 and keep the policy',
      async (kind) => {
        const before = await http()
          .get('/admin/password-policy')
          .auth(admin, { type: 'bearer' })
          .expect(200);
        const answer = await sendBody('PUT', '/admin/password-policy', kind, {
          Authorization: `Bearer ${admin}`,
        });
        expect({ status: answer.status, body: answer.body }).toEqual(NATIVE_415);
        const after = await http()
          .get('/admin/password-policy')
          .auth(admin, { type: 'bearer' })
          .expect(200);
        expect(after.body).toEqual(before.body);
      },
    );

    it.each(BODY_KINDS)(
      'should answer a %s body on /change_user_password with Tencent’s 415',
      async (kind) => {
        const answer = await sendBody('POST', '/change_user_password', kind);
        expect({ status: answer.status, body: answer.body }).toEqual(TENCENT_415);
        expect(answer.headers['content-type']).toBe('application/json;charset=UTF-8');
      },
    );

    it.each(BODY_KINDS)(
      'should answer a %s body on /v3/users/{id}/password with Keystone’s 415',
      async (kind) => {
        const answer = await sendBody('POST', `/v3/users/${user.user_id}/password`, kind);
        expect({ status: answer.status, body: answer.body }).toEqual(HUAWEI_415);
      },
    );

    it.each(BODY_KINDS)(
      'should answer a %s body on /api/v2/sdk/pwd/change with IDaaS’ 415',
      async (kind) => {
        const answer = await sendBody('POST', '/api/v2/sdk/pwd/change', kind);
        expect({ status: answer.status, body: answer.body }).toEqual(IDAAS_415);
      },
    );

    it('should word IDaaS’ 415 in Chinese for X-L: zh', async () => {
      const answer = await sendBody('POST', '/api/v2/sdk/pwd/change', 'text/plain', {
        'X-L': 'zh',
      });
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 415,
        body: { error_code: 'IDAAS.COMMON.0415', error_msg: 'Content-Type必须为application/json' },
      });
    });

    it('should accept a request with no body at all (Content-Length: 0)', async () => {
      const res = await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .set('Content-Length', '0');
      expect(res.status).toBe(200);
      expect(res.body.name).toBe('Original Name');
    });

    it('should accept a form body and a JSON body on /oauth2/token', async () => {
      for (const send of [
        (req: request.Test) => req.type('form').send({ grant_type: 'client_credentials' }),
        (req: request.Test) => req.type('json').send({ grant_type: 'client_credentials' }),
      ]) {
        const res = await send(
          http()
            .post('/oauth2/token')
            .set('Authorization', basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret)),
        );
        expect(res.status).toBe(200);
      }
    });

    it('should refuse a text/plain body on /oauth2/token and /oauth2/revoke', async () => {
      for (const path of ['/oauth2/token', '/oauth2/revoke']) {
        const answer = await sendBody('POST', path, 'text/plain', {
          Authorization: basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret),
        });
        expect({ status: answer.status, body: answer.body }).toEqual(NATIVE_415);
      }
    });

    it('should refuse a form body on a JSON-only route', async () => {
      const res = await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .type('form')
        .send({ name: 'Changed' });
      expect({ status: res.status, body: res.body as unknown }).toEqual(NATIVE_415);
    });
  });

  describe('security headers', () => {
    it('should send nosniff on JSON answers, successful or not', async () => {
      for (const res of [
        await http().get('/.well-known/openid-configuration').expect(200),
        await http().get('/no-such-route').expect(404),
        await http().get('/admin/users').expect(401),
      ]) {
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
    });

    it('should forbid framing /docs', async () => {
      const res = await http().get('/docs/').expect(200);
      expect(res.headers['x-frame-options']).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    });

    it('should still serve Swagger UI and its OpenAPI document', async () => {
      const page = await http().get('/docs/').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('swagger-ui-bundle.js');
      // Nothing inline that the CSP would block: every script comes from /docs itself.
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      await http().get('/docs/swagger-ui-bundle.js').expect(200);
      const init = await http().get('/docs/swagger-ui-init.js').expect(200);
      expect(init.text).toContain('SwaggerUIBundle');
      const document = await http().get('/docs-json').expect(200);
      expect(document.body.openapi).toMatch(/^3\./);
      expect(document.body.paths['/metrics'].get.security).toEqual([{ 'metrics-token': [] }]);
    });
  });

  describe('/metrics', () => {
    const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
    let guarded: NestExpressApplication;
    const scrape = () => request(guarded.getHttpServer()).get('/metrics');

    beforeAll(async () => {
      guarded = await createTestApp({ METRICS_TOKEN });
    });
    afterAll(() => guarded.close());

    it('should refuse a scrape without the token', async () => {
      const res = await scrape().expect(401);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'Authentication is required.',
      });
      expect(res.text).not.toContain('nodejs_version');
    });

    it.each([
      ['a wrong token', `Bearer ${METRICS_TOKEN}x`],
      ['a prefix of the token', `Bearer ${METRICS_TOKEN.slice(0, 10)}`],
      ['the token with trailing junk', `Bearer ${METRICS_TOKEN} junk`],
      ['the token as Basic', `Basic ${METRICS_TOKEN}`],
      ['an access token of the service', 'ADMIN'],
    ])('should refuse %s', async (_case, authorization) => {
      const res = await scrape()
        .set('Authorization', authorization === 'ADMIN' ? `Bearer ${admin}` : authorization)
        .expect(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.text).not.toContain('nodejs_version');
    });

    it('should serve the metrics with the token', async () => {
      const res = await scrape().set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
      expect(res.text).toContain('tessera_http_request_duration_seconds');
    });

    it('should stay open outside production when no token is configured', async () => {
      const res = await http().get('/metrics').expect(200);
      expect(res.text).toContain('tessera_nodejs_version_info');
    });
  });
});
