import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { PasswordHistoryService } from '../../src/password-history/password-history.service';
import { PasswordPolicyRecord } from '../../src/policy/password-policy-record.entity';
import { PasswordPolicyService } from '../../src/policy/password-policy.service';
import type { PasswordPolicy } from '../../src/policy/password-policy.types';
import { PolicyModule } from '../../src/policy/policy.module';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

describe(`${PasswordPolicyService.name}.retainedHistoryCount`, () => {
  let moduleRef: TestingModule;
  let policies: PasswordPolicyService;
  let records: ReturnType<DataSource['getRepository']>;

  beforeAll(async () => {
    // A database of its own, whatever DATABASE_URL says: the count is the maximum over every
    // stored policy, so rows left by other suites in a shared database would blur the cases.
    const saved = { ...process.env };
    process.env.DATABASE_URL = 'sqlite::memory:';
    try {
      moduleRef = await Test.createTestingModule({
        imports: [ConfigModule, DatabaseModule, PolicyModule],
      }).compile();
      await moduleRef.init();
    } finally {
      process.env = saved;
    }
    policies = moduleRef.get(PasswordPolicyService);
    records = moduleRef.get(DataSource).getRepository(PasswordPolicyRecord);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => records.clear());

  it.each<[string, Partial<PasswordPolicy> | null, Array<Partial<PasswordPolicy>>, number]>([
    ['nothing is stored (the default)', null, [], 5],
    ['only the realm sets it', { history_count: 3 }, [], 3],
    ['an override is more lenient than the realm', { history_count: 3 }, [{ history_count: 0 }], 3],
    [
      'an override is the strictest',
      { history_count: 3 },
      [{ history_count: 0 }, { history_count: 7 }, { min_length: 10 }],
      7,
    ],
    ['an override inherits the realm', { history_count: 0 }, [{ min_character_classes: 3 }], 0],
    ['an override reaches the bound', { history_count: 10 }, [{ history_count: 24 }], 24],
    ['only overrides set it, over the default realm', null, [{ history_count: 9 }], 9],
  ])('should keep the largest history_count when %s', async (_case, realm, overrides, expected) => {
    if (realm) await policies.updateRealmPolicy(realm);
    for (const [index, override] of overrides.entries())
      await policies.setApplicationOverride(`retention-app-${index}`, override);

    await expect(policies.retainedHistoryCount()).resolves.toBe(expected);
  });

  it('should cap at 24 a stored row that says more (written outside validation)', async () => {
    await records.insert({
      scope: 'app:written-by-another-version',
      settings: JSON.stringify({ history_count: 99 }),
      updatedAt: new Date(),
    });

    await expect(policies.retainedHistoryCount()).resolves.toBe(24);
  });

  it('should ignore rows that are neither the realm nor an override', async () => {
    await records.insert({
      scope: 'tenant:other',
      settings: JSON.stringify({ history_count: 20 }),
      updatedAt: new Date(),
    });

    await expect(policies.retainedHistoryCount()).resolves.toBe(5);
  });
});

describe(`${PasswordHistoryService.name} shared by applications with different policies`, () => {
  let app: NestExpressApplication;
  let admin: string;
  let realmHistoryCountBefore: number;
  const http = () => request(app.getHttpServer());
  const passwords = ['Retention-Passw0rd-0', 'Retention-Passw0rd-1', 'Retention-Passw0rd-2'];
  const latest = 'Retention-Passw0rd-3';

  /**
   * Signs in at `client` with `current`, then changes to `next` through Tencent's self-service
   * route, expecting `status`.
   */
  const change = async (
    client: TestApplication,
    username: string,
    [current, next]: [string, string],
    status: number,
  ): Promise<request.Response> => {
    const token = (
      await passwordLogin(app, client, { username, password: current, scope: 'openid' }).expect(200)
    ).body.access_token as string;
    return http()
      .post('/change_user_password')
      .auth(token, { type: 'bearer' })
      .send({ old_password: current, new_password: next })
      .expect(status);
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
    const realm = await http().get('/admin/password-policy').auth(admin, { type: 'bearer' });
    realmHistoryCountBefore = (realm.body as PasswordPolicy).history_count;
    await http()
      .put('/admin/password-policy')
      .auth(admin, { type: 'bearer' })
      .send({ history_count: 5 })
      .expect(200);
  });
  afterAll(async () => {
    await http()
      .put('/admin/password-policy')
      .auth(admin, { type: 'bearer' })
      .send({ history_count: realmHistoryCountBefore })
      .expect(200);
    await app.close();
  });

  it('should keep the history the realm checks after changes through an override with history_count 0', async () => {
    const lenient = await createApplication(app, admin);
    await http()
      .put(`/admin/applications/${lenient.client_id}/password-policy`)
      .auth(admin, { type: 'bearer' })
      .send({ history_count: 0 })
      .expect(200);
    const strict = await createApplication(app, admin);
    const user = await createUser(app, admin, { password: passwords[0] });
    const sequence = [...passwords, latest];
    for (let i = 1; i < sequence.length; i += 1)
      await change(lenient, user.username, [sequence[i - 1] ?? '', sequence[i] ?? ''], 200);

    const history = await http()
      .get(`/admin/users/${user.user_id}/password-history`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect((history.body as Array<{ reason: string }>).map((entry) => entry.reason)).toEqual([
      'change',
      'change',
      'change',
      'initial',
    ]);

    // The realm's policy (5) still refuses every earlier password through an application without
    // an override…
    for (const old of passwords) {
      const refused = await change(strict, user.username, [latest, old], 400);
      expect(refused.body).toEqual({ error: 'recurrent_password' });
    }
    // …while the override's own count (0) lets the same old password through its application.
    await change(lenient, user.username, [latest, passwords[1] ?? ''], 200);
  });
});
