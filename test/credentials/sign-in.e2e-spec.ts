import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SignInWithPasswordUseCase } from '../../src/credentials/use-cases/sign-in-with-password.use-case';
import { User } from '../../src/users/user.entity';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  refreshGrant,
  type TestApplication,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const DAY_MS = 86_400_000;

describe(SignInWithPasswordUseCase.name, () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
  });
  afterAll(() => app.close());

  /** An application whose policy override expires passwords after 90 days, warning 7 days ahead. */
  async function expiringApplication(): Promise<TestApplication> {
    const client = await createApplication(app, admin);
    await http()
      .put(`/admin/applications/${client.client_id}/password-policy`)
      .auth(admin, { type: 'bearer' })
      .send({ max_age_days: 90, expiry_warn_days: 7 })
      .expect(200);
    return client;
  }

  /** Moves the user's last password change into the past, as if set `daysAgo` days ago. */
  async function ageTheUsersPassword(userId: string, daysAgo: number): Promise<void> {
    await app
      .get(DataSource)
      .getRepository(User)
      .update({ id: userId }, { passwordChangedAt: new Date(Date.now() - daysAgo * DAY_MS) });
  }

  describe('password expiry at the native password grant', () => {
    it('should give an expired password change-only tokens, kept through a refresh, until it is changed', async () => {
      const client = await expiringApplication();
      const user = await createUser(app, admin);
      await ageTheUsersPassword(user.user_id, 91);

      const res = await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({ password_change_required: true, scope: 'openid' }),
      );
      expect(res.body).not.toHaveProperty('password_expires_at');
      const denied = await http()
        .get('/oauth2/userinfo')
        .auth(res.body.access_token as string, { type: 'bearer' })
        .expect(403);
      expect(denied.body.error).toBe('password_change_required');

      const refreshed = await refreshGrant(app, client, res.body.refresh_token as string).expect(
        200,
      );
      expect(refreshed.body.password_change_required).toBe(true);
      await http()
        .get('/oauth2/userinfo')
        .auth(refreshed.body.access_token as string, { type: 'bearer' })
        .expect(403);

      // The change-only token is good for the change itself (Tencent's change endpoint).
      await http()
        .post('/change_user_password')
        .auth(refreshed.body.access_token as string, { type: 'bearer' })
        .send({ old_password: user.password, new_password: 'Renewed-Passw0rd-91' })
        .expect(200);
      const fresh = await passwordLogin(app, client, {
        username: user.username,
        password: 'Renewed-Passw0rd-91',
        scope: 'openid',
      }).expect(200);
      expect(fresh.body).not.toHaveProperty('password_change_required');
      await http()
        .get('/oauth2/userinfo')
        .auth(fresh.body.access_token as string, { type: 'bearer' })
        .expect(200);
    });

    it('should announce a password expiring within the warning window and otherwise serve normally', async () => {
      const client = await expiringApplication();
      const user = await createUser(app, admin);
      await ageTheUsersPassword(user.user_id, 85);

      const res = await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200);
      expect(res.body).not.toHaveProperty('password_change_required');
      const expiresAt = Date.parse(res.body.password_expires_at as string);
      expect(expiresAt - Date.now()).toBeGreaterThan(4 * DAY_MS);
      expect(expiresAt - Date.now()).toBeLessThan(6 * DAY_MS);
      await http()
        .get('/oauth2/userinfo')
        .auth(res.body.access_token as string, { type: 'bearer' })
        .expect(200);
    });

    it('should not mention expiry for a password well inside its lifetime, nor where the policy has none', async () => {
      const client = await expiringApplication();
      const user = await createUser(app, admin);
      await ageTheUsersPassword(user.user_id, 30);
      const fresh = await passwordLogin(app, client, user).expect(200);
      expect(fresh.body).not.toHaveProperty('password_expires_at');
      expect(fresh.body).not.toHaveProperty('password_change_required');

      // The same aged password at an application without expiry is simply fine.
      await ageTheUsersPassword(user.user_id, 400);
      const plain = await createApplication(app, admin);
      const res = await passwordLogin(app, plain, user).expect(200);
      expect(res.body).not.toHaveProperty('password_change_required');
      expect(res.body).not.toHaveProperty('password_expires_at');
    });

    it('should report each password state from the use case', async () => {
      const client = await expiringApplication();
      const signIn = app.get(SignInWithPasswordUseCase);
      const states: Array<[number, boolean, string]> = [
        [1, false, 'ok'],
        [86, false, 'expiring'],
        [90.01, false, 'expired'],
        [1, true, 'must_change'],
      ];
      for (const [daysAgo, mustChange, expected] of states) {
        const user = await createUser(app, admin, { must_change_password: mustChange });
        await ageTheUsersPassword(user.user_id, daysAgo);
        const result = await signIn.execute({
          identifier: { userId: user.user_id },
          password: user.password,
          clientId: client.client_id,
        });
        expect([daysAgo, result.passwordState]).toEqual([daysAgo, expected]);
        expect(result.user.id).toBe(user.user_id);
      }
    });
  });

  describe('one answer for every failed sign-in', () => {
    it('should answer a frozen or locked user exactly as a wrong password or an unknown user', async () => {
      const client = await createApplication(app, admin);
      const user = await createUser(app, admin);
      const answers: unknown[] = [];
      answers.push(
        (await passwordLogin(app, client, { ...user, password: 'Wrong-Passw0rd-1' }).expect(400))
          .body,
      );
      answers.push(
        (
          await passwordLogin(app, client, {
            username: `${user.username}-nobody`,
            password: user.password,
          }).expect(400)
        ).body,
      );
      for (const status of ['frozen', 'locked']) {
        await http()
          .patch(`/admin/users/${user.user_id}`)
          .auth(admin, { type: 'bearer' })
          .send({ status })
          .expect(200);
        answers.push((await passwordLogin(app, client, user).expect(400)).body);
      }
      expect(answers[0]).toEqual({
        error: 'invalid_grant',
        error_description: expect.any(String),
      });
      for (const answer of answers) expect(answer).toEqual(answers[0]);
    });
  });

  describe('admin rights come from the user', () => {
    it("should not give the admin scope to a user without the admin role, whatever the client's scopes", async () => {
      const client = await createApplication(app, admin, { scopes: ['openid', 'admin'] });
      const user = await createUser(app, admin);
      const res = await passwordLogin(app, client, { ...user, scope: '' }).expect(200);
      expect(res.body.scope).toBe('openid');
      await http()
        .get('/admin/users')
        .auth(res.body.access_token as string, { type: 'bearer' })
        .expect(403);
      const asked = await passwordLogin(app, client, { ...user, scope: 'admin' }).expect(400);
      expect(asked.body.error).toBe('invalid_scope');
    });

    it('should give the admin scope to an admin user at a client that may grant it, and take it back with the role', async () => {
      const client = await createApplication(app, admin, { scopes: ['openid', 'admin'] });
      const plainClient = await createApplication(app, admin, { scopes: ['openid'] });
      const user = await createUser(app, admin);
      const granted = await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ roles: ['admin'] })
        .expect(200);
      expect(granted.body.roles).toEqual(['admin']);

      const res = await passwordLogin(app, client, { ...user, scope: 'openid admin' }).expect(200);
      expect(res.body.scope).toBe('openid admin');
      const token = res.body.access_token as string;
      await http().get('/admin/users?limit=1').auth(token, { type: 'bearer' }).expect(200);
      // A client that may not grant admin gives none, even to an administrator.
      const elsewhere = await passwordLogin(app, plainClient, { ...user, scope: '' }).expect(200);
      expect(elsewhere.body.scope).toBe('openid');

      await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ roles: [] })
        .expect(200);
      await http().get('/admin/users?limit=1').auth(token, { type: 'bearer' }).expect(403);
      const refreshed = await refreshGrant(app, client, res.body.refresh_token as string).expect(
        200,
      );
      expect(refreshed.body.scope).toBe('openid');
    });

    it('should refuse unknown roles and null roles', async () => {
      const user = await createUser(app, admin);
      for (const roles of [['root'], null, 'admin']) {
        await http()
          .patch(`/admin/users/${user.user_id}`)
          .auth(admin, { type: 'bearer' })
          .send({ roles })
          .expect(400);
      }
    });
  });
});
