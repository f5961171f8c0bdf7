import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordPolicyService } from '../../src/policy/password-policy.service';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';

describe('Credentials flows (native API)', () => {
  let app: NestExpressApplication;
  let adminToken: string;
  let web: { client_id: string; client_secret: string };
  const http = () => request(app.getHttpServer());
  const admin = <T extends request.Test>(req: T): T => req.auth(adminToken, { type: 'bearer' });

  const createUser = async (body: Record<string, unknown> = {}) => {
    const res = await admin(http().post('/admin/users'))
      .send({ username: uniqueName('cuser'), ...body })
      .expect(201);
    return res.body as { user_id: string; username: string };
  };
  const setPassword = (userId: string, password: string, mustChange = false) =>
    admin(http().put(`/admin/users/${userId}/password`)).send({
      password,
      must_change_password: mustChange,
    });
  const login = (username: string, password: string) =>
    http()
      .post('/oauth2/token')
      .auth(web.client_id, web.client_secret)
      .type('form')
      .send({ grant_type: 'password', username, password, scope: 'openid' });

  beforeAll(async () => {
    app = await createTestApp();
    const res = await http()
      .post('/oauth2/token')
      .auth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'admin' })
      .expect(200);
    adminToken = res.body.access_token;
    web = (
      await admin(http().post('/admin/applications')).send({ name: 'Web', type: 'web' }).expect(201)
    ).body;
  });
  afterAll(() => app.close());

  it('should return every violation at once in the native format', async () => {
    const user = await createUser({
      email: `${uniqueName('zhang.san')}@example.com`,
      name: '张三',
    });
    const res = await setPassword(user.user_id, 'zhangsan').expect(400);
    expect(res.body.error).toBe('invalid_new_password');
    const rules = (res.body.violations as Array<{ rule: string }>).map((v) => v.rule).sort();
    expect(rules).toEqual(expect.arrayContaining(['character_classes', 'personal_info']));
    const stored = await app
      .get(DataSource)
      .query('SELECT password_hash FROM users WHERE id = ?', [user.user_id]);
    expect(stored[0].password_hash).toBeNull();
  });

  it('should refuse P+"A" with P of 72 bytes, so P+"B" can never sign in', async () => {
    await admin(http().put('/admin/password-policy')).send({ max_length: 128 }).expect(200);
    try {
      const user = await createUser();
      const p72 = `Aa1-${'x'.repeat(68)}`;
      expect(Buffer.byteLength(p72)).toBe(72);
      const res = await setPassword(user.user_id, `${p72}A`).expect(400);
      expect(res.body.violations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            rule: 'length',
            params: expect.objectContaining({ max_bytes: 72 }),
          }),
        ]),
      );
      await login(user.username, `${p72}B`).expect(400);
      await setPassword(user.user_id, p72).expect(204);
      await login(user.username, p72).expect(200);
      await login(user.username, `${p72}B`).expect(400);
    } finally {
      await admin(http().put('/admin/password-policy')).send({ max_length: 64 }).expect(200);
    }
  });

  it('should refuse the current password and exactly history_count before it', async () => {
    await admin(http().put('/admin/password-policy')).send({ history_count: 2 }).expect(200);
    try {
      const user = await createUser();
      const passwords = ['History-Pass-1', 'History-Pass-2', 'History-Pass-3', 'History-Pass-4'];
      for (const p of passwords) await setPassword(user.user_id, p).expect(204);
      // current = 4; the two before it (3, 2) are refused; 1 is allowed again.
      const same = await setPassword(user.user_id, 'History-Pass-4').expect(400);
      expect(same.body.violations.map((v: { rule: string }) => v.rule)).toEqual([
        'same_as_current',
      ]);
      for (const p of ['History-Pass-3', 'History-Pass-2']) {
        const res = await setPassword(user.user_id, p).expect(400);
        expect(res.body.violations.map((v: { rule: string }) => v.rule)).toEqual(['history']);
      }
      await setPassword(user.user_id, 'History-Pass-1').expect(204);
      const history = await admin(
        http().get(`/admin/users/${user.user_id}/password-history`),
      ).expect(200);
      // Kept for the most demanding policy (an application override may ask for more than 2).
      const retained = await app.get(PasswordPolicyService).retainedHistoryCount();
      expect(history.body.length).toBeLessThanOrEqual(Math.max(retained, 2) + 1);
      expect(history.body[0]).toEqual({ changed_at: expect.any(String), reason: 'admin' });
      expect(JSON.stringify(history.body)).not.toContain('$2');
    } finally {
      await admin(http().put('/admin/password-policy')).send({ history_count: 5 }).expect(200);
    }
  });

  it('should let exactly one of two concurrent password writes win and record one history entry', async () => {
    const user = await createUser();
    await setPassword(user.user_id, 'Concurrent-Base-1').expect(204);
    const results = await Promise.all([
      setPassword(user.user_id, 'Concurrent-Pass-A'),
      setPassword(user.user_id, 'Concurrent-Pass-B'),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([204, 409]);
    expect(results.find((r) => r.status === 409)!.body.error).toBe('conflict');
    const rows = await app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM password_history WHERE user_id = ?', [user.user_id]);
    expect(Number(rows[0].n)).toBe(2);
  });

  it('should lock after the threshold, refuse the right password while locked, and unlock by PATCH', async () => {
    const user = await createUser();
    await setPassword(user.user_id, 'Lockout-Passw0rd').expect(204);
    for (let i = 0; i < 5; i += 1) await login(user.username, `Wrong-${i}-Passw0rd`).expect(400);
    const locked = await login(user.username, 'Lockout-Passw0rd').expect(400);
    expect(locked.body.error).toBe('invalid_grant');
    const shown = await admin(http().get(`/admin/users/${user.user_id}`)).expect(200);
    expect(shown.body.status).toBe('locked');
    await admin(http().patch(`/admin/users/${user.user_id}`))
      .send({ status: 'active' })
      .expect(200);
    await login(user.username, 'Lockout-Passw0rd').expect(200);
  });

  it('should count parallel failures atomically', async () => {
    await admin(http().put('/admin/password-policy')).send({ lockout_threshold: 50 }).expect(200);
    try {
      const user = await createUser();
      await setPassword(user.user_id, 'Parallel-Passw0rd').expect(204);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => login(user.username, `Wrong-${i}-Passw0rd`)),
      );
      const rows = await app
        .get(DataSource)
        .query('SELECT failed_login_count FROM users WHERE id = ?', [user.user_id]);
      expect(Number(rows[0].failed_login_count)).toBe(12);
    } finally {
      await admin(http().put('/admin/password-policy')).send({ lockout_threshold: 5 }).expect(200);
    }
  });

  it('should rehash on sign-in when BCRYPT_COST changed', async () => {
    const user = await createUser();
    await setPassword(user.user_id, 'Rehash-Passw0rd').expect(204);
    const dataSource = app.get(DataSource);
    const before = (
      await dataSource.query('SELECT password_hash FROM users WHERE id = ?', [user.user_id])
    )[0].password_hash as string;
    expect(before.startsWith('$2b$04$')).toBe(true);
    // Simulate a hash made at another cost by an earlier deployment.
    const bcrypt = await import('bcrypt');
    const older = await bcrypt.default.hash('Rehash-Passw0rd', 5);
    await dataSource.query('UPDATE users SET password_hash = ? WHERE id = ?', [
      older,
      user.user_id,
    ]);
    await login(user.username, 'Rehash-Passw0rd').expect(200);
    const after = (
      await dataSource.query('SELECT password_hash FROM users WHERE id = ?', [user.user_id])
    )[0].password_hash as string;
    expect(after.startsWith('$2b$04$')).toBe(true);
  });

  describe('password policy administration', () => {
    it('should validate partial updates and refuse incoherent ones with 400, changing nothing', async () => {
      const before = (await admin(http().get('/admin/password-policy')).expect(200)).body;
      for (const body of [
        { min_length: 0 },
        { history_count: 25 },
        { min_character_classes: 5 },
        { min_length: 50, max_length: 20 },
        { max_length: 10, min_length: 12 },
        { forbid_username: 'yes' },
        { unknown_rule: 1 },
      ]) {
        const res = await admin(http().put('/admin/password-policy')).send(body).expect(400);
        expect(res.body.error).toBe('invalid_request');
      }
      expect((await admin(http().get('/admin/password-policy')).expect(200)).body).toEqual(before);
    });

    it('should apply an application override to tokens of that application only', async () => {
      const strict = (
        await admin(http().post('/admin/applications'))
          .send({ name: 'Strict', type: 'web' })
          .expect(201)
      ).body;
      const effective = await admin(
        http().put(`/admin/applications/${strict.client_id}/password-policy`),
      )
        .send({ min_character_classes: 4 })
        .expect(200);
      expect(effective.body).toEqual(
        expect.objectContaining({ min_character_classes: 4, min_length: 8 }),
      );
      const user = await createUser();
      await setPassword(user.user_id, 'Override-Passw0rd').expect(204);
      const tokenOf = async (client: { client_id: string; client_secret: string }) =>
        (
          await http()
            .post('/oauth2/token')
            .auth(client.client_id, client.client_secret)
            .type('form')
            .send({
              grant_type: 'password',
              username: user.username,
              password: 'Override-Passw0rd',
              scope: 'openid',
            })
            .expect(200)
        ).body.access_token as string;
      // Three classes: enough for the realm (2), not for the strict application (4).
      await http()
        .post('/change_user_password')
        .auth(await tokenOf(strict), { type: 'bearer' })
        .send({ old_password: 'Override-Passw0rd', new_password: 'ThreeClasses1' })
        .expect(400)
        .expect({ error: 'invalid_new_password' });
      await http()
        .post('/change_user_password')
        .auth(await tokenOf(web), { type: 'bearer' })
        .send({ old_password: 'Override-Passw0rd', new_password: 'ThreeClasses1' })
        .expect(200);
      await admin(http().delete(`/admin/applications/${strict.client_id}/password-policy`)).expect(
        204,
      );
      await admin(http().put('/admin/applications/no-such-app/password-policy'))
        .send({ min_length: 9 })
        .expect(404);
    });

    it('should show password_expires_at when passwords expire', async () => {
      await admin(http().put('/admin/password-policy')).send({ max_age_days: 90 }).expect(200);
      try {
        const user = await createUser();
        await setPassword(user.user_id, 'Expiring-Passw0rd').expect(204);
        const shown = (await admin(http().get(`/admin/users/${user.user_id}`)).expect(200)).body;
        const days =
          (Date.parse(shown.password_expires_at) - Date.parse(shown.password_changed_at)) /
          86_400_000;
        expect(days).toBe(90);
      } finally {
        await admin(http().put('/admin/password-policy')).send({ max_age_days: 0 }).expect(200);
      }
    });

    it('should refuse a self-service change sooner than min_age_minutes, but not an admin set', async () => {
      await admin(http().put('/admin/password-policy')).send({ min_age_minutes: 60 }).expect(200);
      try {
        const user = await createUser();
        await setPassword(user.user_id, 'Min-Age-Passw0rd').expect(204);
        const token = (
          await http()
            .post('/oauth2/token')
            .auth(web.client_id, web.client_secret)
            .type('form')
            .send({
              grant_type: 'password',
              username: user.username,
              password: 'Min-Age-Passw0rd',
              scope: 'openid',
            })
            .expect(200)
        ).body.access_token as string;
        await http()
          .post('/change_user_password')
          .auth(token, { type: 'bearer' })
          .send({ old_password: 'Min-Age-Passw0rd', new_password: 'Too-Soon-Passw0rd' })
          .expect(400)
          .expect({ error: 'invalid_new_password' });
        await setPassword(user.user_id, 'Admin-May-Passw0rd').expect(204);
      } finally {
        await admin(http().put('/admin/password-policy')).send({ min_age_minutes: 0 }).expect(200);
      }
    });
  });
});
