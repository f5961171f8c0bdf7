import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { describeProblem, lintOpenApiDocument } from '../../scripts/lint-openapi';
import { AppConfig } from '../../src/config/app.config';
import { adminToken, basicAuth } from '../utils/auth-helpers';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, unknown>;
      content?: Record<string, { examples?: Record<string, { value: unknown }> }>;
    }
  >;
  requestBody?: {
    content: Record<
      string,
      { schema: { required?: string[]; properties: Record<string, Schema> } }
    >;
  };
}
interface Schema {
  example?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
}
interface OpenApi {
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, { type: string }>;
  };
}

/** The committed document is exported with ISSUER and PORT unset: its server is this. */
const EXPORT_ISSUER = 'http://localhost:3000';
const COMMITTED = join(__dirname, '..', '..', 'openapi.json');

/** The first JSON pointer at which two documents differ, to say where the export is stale. */
function firstDifference(a: unknown, b: unknown, pointer = ''): string | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return Object.is(a, b) ? undefined : pointer || '/';
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('OpenAPI document', () => {
  let app: NestExpressApplication;
  let served: OpenApi;
  const http = () => request(app.getHttpServer());
  const operations = (): Array<[string, string, Operation]> =>
    Object.entries(served.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]): [string, string, Operation] => [path, method, op]),
    );
  const operation = (path: string, method: string): Operation => {
    const found = served.paths[path]?.[method];
    if (!found) throw new Error(`not documented: ${method} ${path}`);
    return found;
  };
  const exampleValues = (op: Operation, status: string): unknown[] =>
    Object.values(op.responses[status]?.content?.['application/json']?.examples ?? {}).map(
      (example) => example.value,
    );

  beforeAll(async () => {
    app = await createTestApp({ ISSUER: EXPORT_ISSUER });
    served = (await http().get('/docs-json').expect(200)).body as OpenApi;
  });

  afterAll(async () => {
    await app.close();
  });

  it('should equal the committed openapi.json', async () => {
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as unknown;
    const difference = firstDifference(served, committed);
    if (difference !== undefined)
      throw new Error(
        `openapi.json differs from what /docs-json serves (first at ${difference}): run ` +
          '`npm run openapi:export -- openapi.json` with ISSUER and PORT unset, and commit it',
      );
    await expect(Promise.resolve(difference)).resolves.toBeUndefined();
  });

  it('should pass the redocly recommended rules with no error and no warning', async () => {
    const problems = await lintOpenApiDocument(served);
    expect(problems.map(describeProblem)).toEqual([]);
  });

  it('should name ISSUER as its server', async () => {
    expect(served.servers).toEqual([{ url: EXPORT_ISSUER, description: expect.any(String) }]);
  });

  it('should list scopes only on OAuth2 schemes, and give every route a security entry', async () => {
    for (const [path, method, op] of operations()) {
      expect({ path, method, security: op.security }).toEqual({
        path,
        method,
        security: expect.any(Array),
      });
      for (const requirement of op.security ?? [])
        for (const [scheme, scopes] of Object.entries(requirement)) {
          expect(served.components.securitySchemes[scheme]).toBeDefined();
          if (!['oauth2', 'openIdConnect'].includes(served.components.securitySchemes[scheme].type))
            expect({ path, method, scheme, scopes }).toEqual({ path, method, scheme, scopes: [] });
        }
    }
  });

  it.each([
    ['/health/live', 'get'],
    ['/.well-known/openid-configuration', 'get'],
    ['/.well-known/jwks.json', 'get'],
    ['/v3/auth/tokens', 'post'],
  ])('should mark the public route %s (%s) with security: []', async (path, method) => {
    expect(operation(path, method).security).toEqual([]);
  });

  it.each([
    ['/oauth2/token', 'post', [{ 'client-basic': [] }, {}]],
    ['/reset_user_password', 'post', [{ 'client-basic': [] }, {}]],
    ['/otp/send', 'post', [{ 'client-basic': [] }, {}]],
    ['/change_user_password', 'post', [{ bearer: [] }]],
    ['/v3/users/{user_id}/password', 'post', [{ 'x-auth-token': [] }]],
    ['/api/v2/sdk/login', 'post', [{ 'idaas-sdk-client': [] }]],
    ['/api/v2/sdk/pwd/change', 'post', [{ 'idaas-sdk-client': [], bearer: [] }]],
    ['/api/v2/sdk/pwd/update', 'post', [{ 'idaas-sdk-client': [], 'x-state-token': [] }]],
    [
      '/api/v2/sdk/pwd/update-by-mobile',
      'post',
      [{ 'idaas-sdk-client': [], bearer: [] }, { 'idaas-sdk-client': [] }],
    ],
    ['/api/v2/tenant/token', 'post', [{ 'idaas-query-client': [] }]],
  ])('should document the real security of %s (%s)', async (path, method, security) => {
    expect(operation(path, method).security).toEqual(security);
  });

  it('should document the guard answers as each dialect renders them', async () => {
    const adminList = operation('/admin/users', 'get');
    expect(exampleValues(adminList, '401')).toContainEqual({
      error: 'invalid_token',
      error_description: 'The access token is invalid, expired or revoked.',
    });
    expect(adminList.responses['403']?.description).toContain('`admin`');
    expect(exampleValues(adminList, '503')).toContainEqual(
      expect.objectContaining({ error: 'temporarily_unavailable' }),
    );
    expect(adminList.responses['503']?.headers).toHaveProperty('Retry-After');
    expect(exampleValues(operation('/change_user_password', 'post'), '401')).toContainEqual({
      error: 'invalid_token',
      error_description: 'Error decoding JWT',
    });
    expect(exampleValues(operation('/v3/auth/tokens', 'get'), '503')).toContainEqual(
      expect.objectContaining({ error: expect.objectContaining({ code: 503 }) }),
    );
    expect(exampleValues(operation('/api/v2/sdk/pwd/change', 'post'), '503')).toContainEqual(
      expect.objectContaining({ error_code: 'IDAAS.COMMON.0503' }),
    );
  });

  it.each([
    ['/oauth2/token', 'post'],
    ['/change_user_password', 'post'],
    ['/reset_user_password', 'post'],
    ['/otp/send', 'post'],
    ['/v3/auth/tokens', 'post'],
    ['/v3/users/{user_id}/password', 'post'],
    ['/api/v2/sdk/login', 'post'],
    ['/api/v2/sdk/pwd/update', 'post'],
    ['/api/v2/sdk/pwd/change', 'post'],
    ['/api/v2/sdk/sms/send', 'post'],
    ['/api/v2/sdk/email/send', 'post'],
    ['/api/v2/sdk/pwd/update-by-mobile', 'post'],
    ['/api/v2/sdk/pwd/update-by-email', 'post'],
  ])('should document 429 with Retry-After on %s (%s)', async (path, method) => {
    expect(operation(path, method).responses['429']?.headers).toHaveProperty('Retry-After');
  });

  /** The Huawei operations, and a path that fills their parameters. */
  const HUAWEI_OPERATIONS: Array<[string, 'get' | 'post' | 'put', string]> = [
    ['/v3/auth/tokens', 'post', '/v3/auth/tokens'],
    ['/v3/auth/tokens', 'get', '/v3/auth/tokens'],
    ['/v3/users/{user_id}/password', 'post', '/v3/users/u-1/password'],
    ...(['password-policy', 'login-policy'] as const).flatMap((policy) =>
      (['get', 'put'] as const).map((method): [string, 'get' | 'put', string] => [
        `/v3.0/OS-SECURITYPOLICY/domains/{domain_id}/${policy}`,
        method,
        `/v3.0/OS-SECURITYPOLICY/domains/d-1/${policy}`,
      ]),
    ),
  ];

  it.each(HUAWEI_OPERATIONS)(
    'should document on %s (%s) the 405 the path answers, with its Allow',
    async (path, method, concrete) => {
      const res = await http().delete(concrete).expect(405);
      const documented = operation(path, method).responses['405'];
      expect(exampleValues(operation(path, method), '405')).toEqual([res.body]);
      expect(documented?.headers?.Allow).toEqual({
        description: expect.any(String),
        schema: { type: 'string', example: res.headers.allow },
      });
    },
  );

  it.each(HUAWEI_OPERATIONS.filter(([, method]) => method !== 'get'))(
    'should document on %s (%s) the 413 and 415 the route answers',
    async (path, method, concrete) => {
      const tooLarge = await http()
        [method](concrete)
        .set('Content-Type', 'application/json')
        .send(`{"a":"${'x'.repeat(app.get(AppConfig).bodyLimitBytes)}"}`)
        .expect(413);
      const notJson = await http()[method](concrete).type('text/plain').send('{}').expect(415);
      expect(exampleValues(operation(path, method), '413')).toEqual([tooLarge.body]);
      expect(exampleValues(operation(path, method), '415')).toEqual([notJson.body]);
    },
  );

  it('should give the 400 of a Huawei password change an example of each IAM code', async () => {
    const examples = operation('/v3/users/{user_id}/password', 'post').responses['400']?.content?.[
      'application/json'
    ]?.examples;
    expect(Object.keys(examples ?? {}).sort()).toEqual(['1100', '1103', '1108', '1118']);
    for (const [code, { value }] of Object.entries(examples ?? {}))
      expect(value).toEqual(
        expect.objectContaining({ error_code: code, error: expect.objectContaining({ code }) }),
      );
  });

  it('should give partial updates schemas with no required field', async () => {
    for (const name of ['UpdatePasswordPolicyDto', 'UpdateUserDto'])
      expect({ name, required: served.components.schemas[name]?.required }).toEqual({
        name,
        required: undefined,
      });
  });

  it('should refuse null in a partial policy update, as the schema says (not nullable)', async () => {
    const token = await adminToken(app);
    const res = await http()
      .put('/admin/password-policy')
      .auth(token, { type: 'bearer' })
      .send({ min_length: null })
      .expect(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('should pre-fill no token form field with a placeholder', async () => {
    const form = operation('/oauth2/token', 'post').requestBody?.content[
      'application/x-www-form-urlencoded'
    ]?.schema;
    const examples = Object.fromEntries(
      Object.entries(form?.properties ?? {}).map(([name, schema]) => [name, schema.example]),
    );
    // Swagger UI fills a field without an example with "string", and sends it.
    expect(examples).toEqual({
      grant_type: 'password',
      username: 'alice',
      password: 'Correct-Horse-7',
      scope: 'openid profile',
      refresh_token: '',
      client_id: '',
      client_secret: '',
      auth_source_id: '',
    });
  });

  describe('client authentication as Swagger UI sends it', () => {
    const basic = () => basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret);

    it('should take empty body credentials beside Basic as omitted (RFC 6749 §3.2)', async () => {
      await http()
        .post('/oauth2/token')
        .set('Authorization', basic())
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: '', client_secret: '' })
        .expect(200);
    });

    it('should say that the client authenticated twice, keeping invalid_request', async () => {
      const res = await http()
        .post('/oauth2/token')
        .set('Authorization', basic())
        .type('form')
        .send({ grant_type: 'client_credentials', client_secret: TEST_ADMIN.clientSecret })
        .expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: expect.stringMatching(/^The client authenticated twice: HTTP Basic/),
      });
    });

    it('should say it in the Tencent dialect too', async () => {
      const res = await http()
        .post('/otp/send')
        .set('Authorization', basic())
        .send({ client_secret: 'x', email: 'nobody@example.com' })
        .expect(400);
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: expect.stringMatching(/authenticated twice.*RFC 6749 §2\.3/),
      });
    });
  });
});
