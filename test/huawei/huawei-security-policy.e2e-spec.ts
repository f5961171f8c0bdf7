import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { HuaweiSecurityPolicyController } from '../../src/dialects/huawei-iam/huawei-security-policy.controller';
import { adminToken, createUser, type TestUser } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const BASE = '/v3.0/OS-SECURITYPOLICY/domains/any-domain-id';

describe(HuaweiSecurityPolicyController.name, () => {
  let app: NestExpressApplication;
  let admin: string;
  let administratorToken: string;
  let userToken: string;
  let realmBefore: Record<string, unknown>;
  const http = () => request(app.getHttpServer());

  const keystoneToken = async (user: TestUser): Promise<string> =>
    (
      await http()
        .post('/v3/auth/tokens')
        .send({
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: user.username, password: user.password } },
            },
          },
        })
        .expect(201)
    ).headers['x-subject-token'];

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
    const administrator = await createUser(app, admin);
    await http()
      .patch(`/admin/users/${administrator.user_id}`)
      .auth(admin, { type: 'bearer' })
      .send({ roles: ['admin'] })
      .expect(200);
    administratorToken = await keystoneToken(administrator);
    userToken = await keystoneToken(await createUser(app, admin));
    realmBefore = (
      await http().get('/admin/password-policy').auth(admin, { type: 'bearer' }).expect(200)
    ).body as Record<string, unknown>;
  });
  afterAll(async () => {
    // Other suites share the realm policy on MariaDB: put back what was there.
    await http()
      .put('/admin/password-policy')
      .auth(admin, { type: 'bearer' })
      .send(realmBefore)
      .expect(200);
    await app.close();
  });

  it('should show the realm password policy in Huawei terms', async () => {
    const res = await http()
      .get(`${BASE}/password-policy`)
      .set('X-Auth-Token', administratorToken)
      .expect(200);
    expect(res.body).toEqual({
      password_policy: {
        maximum_consecutive_identical_chars: realmBefore.max_repeated_chars,
        minimum_password_age: realmBefore.min_age_minutes,
        minimum_password_length: realmBefore.min_length,
        maximum_password_length: realmBefore.max_length,
        number_of_recent_passwords_disallowed: (realmBefore.history_count as number) + 1,
        password_not_username_or_invert: realmBefore.forbid_username,
        password_validity_period: realmBefore.max_age_days,
        password_char_combination: realmBefore.min_character_classes,
        password_requirements: expect.stringContaining('character types'),
      },
    });
  });

  it('should change the realm policy through Huawei names, partially', async () => {
    const res = await http()
      .put(`${BASE}/password-policy`)
      .set('X-Auth-Token', administratorToken)
      .send({
        password_policy: {
          minimum_password_length: 10,
          number_of_recent_passwords_disallowed: 4,
          password_validity_period: 90,
        },
      })
      .expect(200);
    expect(res.body.password_policy).toEqual(
      expect.objectContaining({
        minimum_password_length: 10,
        number_of_recent_passwords_disallowed: 4,
        password_validity_period: 90,
        password_char_combination: realmBefore.min_character_classes,
      }),
    );
    const native = await http()
      .get('/admin/password-policy')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(native.body).toEqual(
      expect.objectContaining({
        min_length: 10,
        history_count: 3,
        max_age_days: 90,
        max_length: realmBefore.max_length,
      }),
    );
  });

  it('should change and show the lockout policy in minutes', async () => {
    const res = await http()
      .put(`${BASE}/login-policy`)
      .set('X-Auth-Token', administratorToken)
      .send({ login_policy: { login_failed_times: 7, lockout_duration: 20, session_timeout: 60 } })
      .expect(200);
    expect(res.body).toEqual({
      login_policy: {
        login_failed_times: 7,
        period_with_login_failures: Math.round((realmBefore.lockout_window_seconds as number) / 60),
        lockout_duration: 20,
        session_timeout: 1440,
      },
    });
    const native = await http()
      .get('/admin/password-policy')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(native.body).toEqual(
      expect.objectContaining({ lockout_threshold: 7, lockout_duration_seconds: 1200 }),
    );
    await http().get(`${BASE}/login-policy`).set('X-Auth-Token', administratorToken).expect(200);
  });

  it.each([
    [
      'password-policy',
      { password_policy: { minimum_password_length: 5 } },
      'minimum_password_length',
    ],
    [
      'password-policy',
      { password_policy: { password_char_combination: 1 } },
      'password_char_combination',
    ],
    [
      'password-policy',
      { password_policy: { minimum_password_age: '10' } },
      'minimum_password_age',
    ],
    ['password-policy', { password_policy: { surprise: 1 } }, 'surprise'],
    ['password-policy', { password_policy: null }, 'password_policy'],
    ['login-policy', { login_policy: { login_failed_times: 11 } }, 'login_failed_times'],
    ['login-policy', { login_policy: { lockout_duration: 10 } }, 'lockout_duration'],
    ['login-policy', {}, 'login_policy'],
  ])('should refuse PUT %s %j with IAM.0001 naming the field', async (route, body, field) => {
    const res = await http()
      .put(`${BASE}/${route}`)
      .set('X-Auth-Token', administratorToken)
      .send(body)
      .expect(400);
    expect(res.body).toEqual({ error_code: 'IAM.0001', error_msg: expect.stringContaining(field) });
  });

  it('should answer a user without the admin role with 403 and no token with 401, in Huawei’s /v3.0 shape', async () => {
    const forbidden = await http()
      .get(`${BASE}/password-policy`)
      .set('X-Auth-Token', userToken)
      .expect(403);
    expect(forbidden.body).toEqual({ error_code: 'IAM.0003', error_msg: expect.any(String) });
    await http()
      .put(`${BASE}/login-policy`)
      .set('X-Auth-Token', userToken)
      .send({ login_policy: { login_failed_times: 3 } })
      .expect(403);
    const unauthenticated = await http().get(`${BASE}/login-policy`).expect(401);
    expect(unauthenticated.body).toEqual({
      error_code: 'IAM.0002',
      error_msg: expect.any(String),
    });
  });
});
