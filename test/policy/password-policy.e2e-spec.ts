import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminPasswordPolicyController } from '../../src/policy/admin-password-policy.controller';
import { PasswordPolicyRecord } from '../../src/policy/password-policy-record.entity';
import { PasswordPolicyService } from '../../src/policy/password-policy.service';
import { DEFAULT_PASSWORD_POLICY } from '../../src/policy/password-policy.types';
import { adminToken as issueAdminToken, basicAuth, createApplication } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

// Suites may share one MariaDB database and run in parallel, so realm changes here are either
// refused (nothing stored) or restored at once; positive cases run on per-application overrides.
describe(AdminPasswordPolicyController.name, () => {
  let app: NestExpressApplication;
  let token: string;
  const http = () => request(app.getHttpServer());
  const admin = <T extends request.Test>(req: T): T => req.auth(token, { type: 'bearer' });
  const realm = async () =>
    (await admin(http().get('/admin/password-policy')).expect(200)).body as Record<string, unknown>;
  const overridden = new Set<string>();
  const appPolicy = (clientId: string) => {
    overridden.add(clientId);
    return admin(http().put(`/admin/applications/${encodeURIComponent(clientId)}/password-policy`));
  };

  beforeAll(async () => {
    app = await createTestApp();
    token = await issueAdminToken(app);
  });
  afterAll(async () => {
    // Leave a shared database as found: overrides could conflict with another suite's realm update.
    for (const clientId of overridden)
      await app.get(PasswordPolicyService).removeApplicationOverride(clientId);
    await app.close();
  });

  it('should serve every policy field with the documented types', async () => {
    const policy = await realm();
    expect(Object.keys(policy).sort()).toEqual(Object.keys(DEFAULT_PASSWORD_POLICY).sort());
    for (const [field, value] of Object.entries(DEFAULT_PASSWORD_POLICY))
      expect(typeof policy[field]).toBe(typeof value);
  });

  it('should serve the defaults when nothing is stored', async () => {
    const dataSource = app.get(DataSource);
    const stored = await dataSource.getRepository(PasswordPolicyRecord).findOneBy({
      scope: 'realm',
    });
    if (stored) return; // a shared database another suite already wrote to
    expect(await realm()).toEqual(DEFAULT_PASSWORD_POLICY);
  });

  /** A refused update: what it is, the body, the field the answer names. */
  type RefusedCase = [string, Record<string, unknown>, string];
  /** `null` for every field: none of the policy is documented as nullable (issue 10 finding 2). */
  const NULLS = Object.keys(DEFAULT_PASSWORD_POLICY).map((field): RefusedCase => [
    `${field} null`,
    { [field]: null },
    field,
  ]);

  describe.each(['realm', 'application override'] as const)('%s', (target) => {
    let clientId: string;
    beforeAll(async () => {
      clientId = (await createApplication(app, token)).client_id;
    });
    const put = () =>
      target === 'realm' ? admin(http().put('/admin/password-policy')) : appPolicy(clientId);
    const effective = () =>
      target === 'realm' ? realm() : app.get(PasswordPolicyService).effectivePolicy(clientId);

    it.each<RefusedCase>([
      ['min_length 0', { min_length: 0 }, 'min_length'],
      ['min_length 129', { min_length: 129 }, 'min_length'],
      ['max_length 129', { max_length: 129 }, 'max_length'],
      ['history_count -1', { history_count: -1 }, 'history_count'],
      ['history_count 25', { history_count: 25 }, 'history_count'],
      ['min_character_classes 0', { min_character_classes: 0 }, 'min_character_classes'],
      ['min_character_classes 5', { min_character_classes: 5 }, 'min_character_classes'],
      ['max_repeated_chars -1', { max_repeated_chars: -1 }, 'max_repeated_chars'],
      ['lockout_threshold -1', { lockout_threshold: -1 }, 'lockout_threshold'],
      ['lockout_window_seconds 0', { lockout_window_seconds: 0 }, 'lockout_window_seconds'],
      ['lockout_duration_seconds 0', { lockout_duration_seconds: 0 }, 'lockout_duration_seconds'],
      ['max_age_days -1', { max_age_days: -1 }, 'max_age_days'],
      ['a fraction', { min_length: 8.5 }, 'min_length'],
      ['a numeric string', { min_length: '8' }, 'min_length'],
      ...NULLS,
      [
        'null beside a valid field',
        { history_count: 3, lockout_threshold: null },
        'lockout_threshold',
      ],
      ['a string for a boolean', { forbid_username: 'yes' }, 'forbid_username'],
      ['an unknown field', { unknown_rule: 1 }, 'unknown_rule'],
      ['min_length over max_length in one body', { min_length: 50, max_length: 20 }, 'min_length'],
      [
        'min_age not shorter than max_age',
        { max_age_days: 1, min_age_minutes: 1440 },
        'min_age_minutes',
      ],
    ])(
      'should refuse %s with 400 naming the field, storing nothing',
      async (_case, body, field) => {
        const before = await effective();
        const res = await put().send(body).expect(400);
        expect(res.body).toMatchObject({ error: 'invalid_request' });
        expect((res.body.fields as Array<{ field: string }>).map((f) => f.field)).toContain(field);
        expect(await effective()).toEqual(before);
      },
    );
  });

  it('should check min_length against the stored max_length after merging', async () => {
    const before = await realm();
    const res = await admin(http().put('/admin/password-policy'))
      .send({ min_length: Number(before.max_length) + 1 })
      .expect(400);
    expect(res.body.fields).toContainEqual(expect.objectContaining({ field: 'min_length' }));
    expect(await realm()).toEqual(before);
  });

  it('should merge a partial realm update and return the whole policy', async () => {
    const before = await realm();
    const changed = Number(before.expiry_warn_days) === 7 ? 8 : 7;
    try {
      const res = await admin(http().put('/admin/password-policy'))
        .send({ expiry_warn_days: changed })
        .expect(200);
      expect(res.body).toEqual({ ...before, expiry_warn_days: changed });
      expect(await realm()).toEqual({ ...before, expiry_warn_days: changed });
    } finally {
      await admin(http().put('/admin/password-policy'))
        .send({ expiry_warn_days: before.expiry_warn_days })
        .expect(200);
    }
  });

  describe('application override', () => {
    it('should accept the exact bounds and return the effective policy', async () => {
      const client = await createApplication(app, token);
      for (const body of [
        { history_count: 0 },
        { history_count: 24 },
        { min_character_classes: 1 },
        { min_character_classes: 4 },
        { min_length: 1, max_length: 1 },
        { min_length: 128, max_length: 128 },
        { max_repeated_chars: 0 },
        { lockout_threshold: 0 },
      ]) {
        const res = await appPolicy(client.client_id).send(body).expect(200);
        expect(res.body).toMatchObject(body);
        expect(Object.keys(res.body as object).sort()).toEqual(
          Object.keys(DEFAULT_PASSWORD_POLICY).sort(),
        );
      }
    });

    it('should merge over the realm and over its own earlier override', async () => {
      const client = await createApplication(app, token);
      const before = await realm();
      await appPolicy(client.client_id).send({ min_character_classes: 4 }).expect(200);
      const res = await appPolicy(client.client_id).send({ history_count: 12 }).expect(200);
      expect(res.body).toEqual({ ...before, min_character_classes: 4, history_count: 12 });
      await expect(
        app.get(PasswordPolicyService).effectivePolicy(client.client_id),
      ).resolves.toEqual({ ...before, min_character_classes: 4, history_count: 12 });
      // Another application keeps the realm's policy.
      const other = await createApplication(app, token);
      await expect(
        app.get(PasswordPolicyService).effectivePolicy(other.client_id),
      ).resolves.toEqual(before);
    });

    it('should refuse an override whose merged result is incoherent', async () => {
      const client = await createApplication(app, token);
      const before = await realm();
      const res = await appPolicy(client.client_id)
        .send({
          min_length: Math.min(128, Number(before.max_length) + 1),
          max_length: Number(before.max_length),
        })
        .expect(400);
      expect(res.body.fields).toEqual([
        { field: 'min_length', problems: ['min_length must not exceed max_length'] },
      ]);
      await expect(
        app.get(PasswordPolicyService).effectivePolicy(client.client_id),
      ).resolves.toEqual(before);
    });

    it('should remove an override with 204, falling back to the realm', async () => {
      const client = await createApplication(app, token);
      await appPolicy(client.client_id).send({ min_character_classes: 4 }).expect(200);
      await admin(http().delete(`/admin/applications/${client.client_id}/password-policy`)).expect(
        204,
      );
      const before = await realm();
      await expect(
        app.get(PasswordPolicyService).effectivePolicy(client.client_id),
      ).resolves.toEqual(before);
      // Deleting again is idempotent.
      await admin(http().delete(`/admin/applications/${client.client_id}/password-policy`)).expect(
        204,
      );
    });

    it('should answer 404 application_not_found for an unknown client', async () => {
      const put = await appPolicy('no-such-client').send({ min_length: 9 }).expect(404);
      expect(put.body).toMatchObject({ error: 'application_not_found' });
      const del = await admin(
        http().delete('/admin/applications/no-such-client/password-policy'),
      ).expect(404);
      expect(del.body).toMatchObject({ error: 'application_not_found' });
    });

    it('should refuse a realm update that would make an override incoherent', async () => {
      const client = await createApplication(app, token);
      const before = await realm();
      const minLength = Number(before.min_length);
      await appPolicy(client.client_id)
        .send({ min_length: minLength + 2 })
        .expect(200);
      const res = await admin(http().put('/admin/password-policy'))
        .send({ max_length: minLength + 1 })
        .expect(400);
      expect(JSON.stringify(res.body.fields)).toContain(client.client_id);
      expect(await realm()).toEqual(before);
    });

    it('should drop the override of a deleted application instead of letting it block the realm', async () => {
      const dataSource = app.get(DataSource);
      const records = dataSource.getRepository(PasswordPolicyRecord);
      const scope = 'app:deleted-client-for-policy-test';
      await records.save({ scope, settings: '{"min_length":200}', updatedAt: new Date() });
      const before = await realm();
      await admin(http().put('/admin/password-policy'))
        .send({ expiry_warn_days: before.expiry_warn_days })
        .expect(200);
      await expect(records.findOneBy({ scope })).resolves.toBeNull();
    });
  });

  describe('authorization', () => {
    it('should answer 401 without a token', async () => {
      await http().get('/admin/password-policy').expect(401);
      await http().put('/admin/password-policy').send({ min_length: 9 }).expect(401);
    });

    it('should answer 403 to a token without the admin scope', async () => {
      const m2m = await createApplication(app, token, { type: 'm2m', scopes: ['profile'] });
      const res = await http()
        .post('/oauth2/token')
        .set('Authorization', basicAuth(m2m.client_id, m2m.client_secret ?? ''))
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      const weak = res.body.access_token as string;
      await http().get('/admin/password-policy').auth(weak, { type: 'bearer' }).expect(403);
      await http()
        .put('/admin/password-policy')
        .auth(weak, { type: 'bearer' })
        .send({ min_length: 1 })
        .expect(403);
    });
  });

  it('should publish the policy schema with defaults in Swagger', async () => {
    const doc = (await http().get('/docs-json').expect(200)).body as {
      components: {
        schemas: Record<string, { properties: Record<string, { default?: unknown }> }>;
      };
    };
    const schema = doc.components.schemas.PasswordPolicyDto;
    expect(Object.keys(schema.properties).sort()).toEqual(
      Object.keys(DEFAULT_PASSWORD_POLICY).sort(),
    );
    for (const [field, value] of Object.entries(DEFAULT_PASSWORD_POLICY))
      expect(schema.properties[field]?.default).toBe(value);
    expect(doc.components.schemas.UpdatePasswordPolicyDto).toBeDefined();
  });
});
