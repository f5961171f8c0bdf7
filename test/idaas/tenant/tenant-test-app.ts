import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { adminToken, createApplication, type TestApplication } from '../../utils/auth-helpers';

/**
 * The policy of the tenant application in these tests (merged over the realm's): seed 002's
 * "8 to 20 characters", three character classes and at most three repeats, so every PWD code
 * can be provoked.
 */
export const TENANT_POLICY = { max_length: 20, min_character_classes: 3, max_repeated_chars: 3 };

export interface TenantClient {
  /** Native admin token of the bootstrap client (for setting up peers). */
  admin: string;
  application: TestApplication & { client_secret: string };
  /** An access token from `POST /api/v2/tenant/token`. */
  token: string;
}

/** `POST /api/v2/tenant/token` with the credentials in the query string. */
export function tenantToken(
  app: NestExpressApplication,
  query: Record<string, string>,
): request.Test {
  return request(app.getHttpServer()).post('/api/v2/tenant/token').query(query);
}

/** An `m2m` application with the `admin` scope and {@link TENANT_POLICY}, and its tenant token. */
export async function tenantClient(app: NestExpressApplication): Promise<TenantClient> {
  const admin = await adminToken(app);
  const application = (await createApplication(app, admin, {
    type: 'm2m',
    scopes: ['admin'],
  })) as TenantClient['application'];
  await request(app.getHttpServer())
    .put(`/admin/applications/${application.client_id}/password-policy`)
    .auth(admin, { type: 'bearer' })
    .send(TENANT_POLICY)
    .expect(200);
  const res = await tenantToken(app, {
    grant_type: 'client_credentials',
    client_id: application.client_id,
    client_secret: application.client_secret,
  }).expect(200);
  return { admin, application, token: res.body.access_token as string };
}

/**
 * A user name unique to this run that itself passes {@link TENANT_POLICY} when reversed (upper,
 * lower, digit and other, 11 characters), so the reversed name breaks the username rule alone.
 */
export function tenantUserName(): string {
  return `Qa-${randomBytes(4).toString('hex')}`;
}
