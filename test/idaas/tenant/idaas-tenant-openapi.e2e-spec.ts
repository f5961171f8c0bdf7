import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createTestApp } from '../../utils/create-test-app';
import { IDAAS_TENANT_TAG } from '../../../src/dialects/idaas/tenant/idaas-tenant-api.decorator';

interface Operation {
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<
    string,
    { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }
  >;
}

describe(`Swagger: ${IDAAS_TENANT_TAG}`, () => {
  let app: NestExpressApplication;
  let paths: Record<string, Record<string, Operation>>;
  const operation = (path: string, method: string): Operation => {
    const found = paths[path]?.[method];
    if (!found) throw new Error(`not documented: ${method} ${path}`);
    return found;
  };
  const examples = (op: Operation) =>
    Object.values(op.responses['400']?.content?.['application/json']?.examples ?? {}).map(
      (example) => example.value,
    );

  beforeAll(async () => {
    app = await createTestApp();
    paths = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body.paths;
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['/api/v2/tenant/token', 'post'],
    ['/api/v2/tenant/users/{user_id}/change-password', 'put'],
    ['/api/v2/tenant/users', 'post'],
  ])('should tag %s (%s) and document its 200, 400 and 503 bodies', async (path, method) => {
    const op = operation(path, method);
    expect(op.tags).toEqual([IDAAS_TENANT_TAG]);
    // IDaaS answers every error with 400; an outage keeps its 503 (idaas.errors.ts), and password
    // changes are rate limited (README, Redis and rate limits), so 429 is documented too.
    const statuses = path.endsWith('/change-password')
      ? ['200', '400', '429', '503']
      : ['200', '400', '503'];
    expect(Object.keys(op.responses).sort()).toEqual(statuses);
    expect(examples(op)).toContainEqual({
      error: 'invalid_token',
      error_description: 'Invalid access',
    });
  });

  it('should document the query-string credentials of the token endpoint', async () => {
    const query = operation('/api/v2/tenant/token', 'post')
      .parameters?.filter((p) => p.in === 'query')
      .map((p) => [p.name, p.required ?? false]);
    expect(query).toEqual(
      expect.arrayContaining([
        ['grant_type', true],
        ['client_id', true],
        ['client_secret', true],
        ['scope', false],
      ]),
    );
  });

  it('should give an example body for every code of seed 002', async () => {
    const codes = examples(operation('/api/v2/tenant/users/{user_id}/change-password', 'put')).map(
      (body) => (body as { error_code?: string }).error_code,
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        'IDAAS.TENANT.USER.0001',
        ...[1, 2, 3, 4, 5, 6, 7].map((n) => `IDAAS.TENANT.PWD.000${n}`),
      ]),
    );
  });
});
