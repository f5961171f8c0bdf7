import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createTestApp } from '../../utils/create-test-app';
import { IdaasTenantUsersController } from '../../../src/dialects/idaas/tenant/idaas-tenant-users.controller';
import { createApplication, passwordLogin, type TestApplication } from '../../utils/auth-helpers';
import { uniqueCnMobile } from '../../utils/unique';
import { tenantClient, type TenantClient, tenantUserName } from './tenant-test-app';

const CONTENT_TYPE = 'application/json; charset=utf-8';
const INITIAL = 'Initial-Passw0rd';
const TEMPORARY = 'Temporary-Passw0rd';

describe(IdaasTenantUsersController.name, () => {
  let app: NestExpressApplication;
  let tenant: TenantClient;
  let web: TestApplication;
  const http = () => request(app.getHttpServer());
  const wire = (res: request.Response) => ({
    status: res.status,
    body: res.body as unknown,
    type: res.headers['content-type'],
  });
  const createUser = (body: Record<string, unknown>) =>
    http().post('/api/v2/tenant/users').auth(tenant.token, { type: 'bearer' }).send(body);
  const changePassword = (userId: string, body: Record<string, unknown>) =>
    http()
      .put(`/api/v2/tenant/users/${userId}/change-password`)
      .auth(tenant.token, { type: 'bearer' })
      .send(body);
  const nativeUser = async (userId: string) =>
    (await http().get(`/admin/users/${userId}`).auth(tenant.admin, { type: 'bearer' }).expect(200))
      .body as Record<string, unknown>;
  const login = (username: string, password: string) =>
    passwordLogin(app, web, { username, password, scope: 'openid' });
  /** A user created through the tenant API with {@link INITIAL}, signed in once. */
  const signedInUser = async () => {
    const userName = tenantUserName();
    const userId = (await createUser({ user_name: userName, password: INITIAL }).expect(200)).body
      .user_id as string;
    const tokens = (await login(userName, INITIAL).expect(200)).body as { access_token: string };
    return { userId, userName, tokens };
  };

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await tenantClient(app);
    web = await createApplication(app, tenant.admin, { scopes: ['openid', 'profile'] });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('PUT /api/v2/tenant/users/{user_id}/change-password', () => {
    it('should answer 200 {user_id} and force a change at the next sign-in by default (seed 002)', async () => {
      const { userId, userName, tokens } = await signedInUser();
      const res = await changePassword(userId, { password: TEMPORARY });
      expect(wire(res)).toEqual({ status: 200, body: { user_id: userId }, type: CONTENT_TYPE });
      expect(await nativeUser(userId)).toMatchObject({ must_change_password: true });
      await expect(login(userName, INITIAL).then((r) => r.status)).resolves.toBe(400);
      const signIn = await login(userName, TEMPORARY).expect(200);
      expect(signIn.body).toMatchObject({ password_change_required: true });
      // The tokens of the earlier sign-in died with the old password.
      await http()
        .get('/oauth2/userinfo')
        .auth(tokens.access_token, { type: 'bearer' })
        .expect(401);
    });

    it.each([
      ['must_modify: false', { must_modify: false }, false],
      ['pwd_must_modify: false (alias)', { pwd_must_modify: false }, false],
      ['pwd_must_modify: true (alias)', { pwd_must_modify: true }, true],
      ['both, agreeing', { must_modify: false, pwd_must_modify: false }, false],
      ['must_modify: true', { must_modify: true }, true],
    ])('should honour %s', async (_case, flags, mustChange) => {
      const { userId, userName } = await signedInUser();
      await changePassword(userId, { password: TEMPORARY, ...flags }).expect(200);
      expect(await nativeUser(userId)).toMatchObject({ must_change_password: mustChange });
      const signIn = await login(userName, TEMPORARY).expect(200);
      expect(signIn.body.password_change_required).toBe(mustChange ? true : undefined);
    });

    it('should set a first password for a user created without one', async () => {
      const userName = tenantUserName();
      const userId = (await createUser({ user_name: userName }).expect(200)).body.user_id as string;
      await changePassword(userId, { password: TEMPORARY, must_modify: false }).expect(200);
      expect(await nativeUser(userId)).toMatchObject({
        has_password: true,
        must_change_password: false,
      });
      await login(userName, TEMPORARY).expect(200);
    });

    it('should set the password of a frozen user (an administrator may)', async () => {
      const { userId } = await signedInUser();
      await http()
        .patch(`/admin/users/${userId}`)
        .auth(tenant.admin, { type: 'bearer' })
        .send({ status: 'frozen' })
        .expect(200);
      await changePassword(userId, { password: TEMPORARY }).expect(200);
    });

    it('should record the change as an administrator set in the history', async () => {
      const { userId } = await signedInUser();
      await changePassword(userId, { password: TEMPORARY }).expect(200);
      const history = (
        await http()
          .get(`/admin/users/${userId}/password-history`)
          .auth(tenant.admin, { type: 'bearer' })
          .expect(200)
      ).body as Array<{ reason: string }>;
      expect(history.map((entry) => entry.reason).sort()).toEqual(['admin', 'initial']);
    });
  });

  describe('POST /api/v2/tenant/users', () => {
    it('should create a user with a password who can sign in without a forced change', async () => {
      const userName = tenantUserName();
      const mobile = uniqueCnMobile();
      const res = await createUser({
        user_name: userName,
        mobile: mobile.replace('+86', ''),
        email: `${userName}@Example.com`,
        name: '张三',
        password: INITIAL,
      });
      expect(wire(res)).toEqual({
        status: 200,
        body: { user_id: expect.any(String) },
        type: CONTENT_TYPE,
      });
      expect(await nativeUser(res.body.user_id as string)).toMatchObject({
        user_id: res.body.user_id,
        username: userName,
        phone_number: mobile,
        email: `${userName.toLowerCase()}@example.com`,
        name: '张三',
        has_password: true,
        must_change_password: false,
      });
      const signIn = await login(mobile, INITIAL).expect(200);
      expect(signIn.body.password_change_required).toBeUndefined();
    });

    it('should create a user without a password', async () => {
      const userName = tenantUserName();
      const res = await createUser({ user_name: userName }).expect(200);
      expect(await nativeUser(res.body.user_id as string)).toMatchObject({
        username: userName,
        email: null,
        phone_number: null,
        has_password: false,
      });
    });

    it.each([
      [
        'user name (case-insensitive)',
        (taken: Taken) => ({ user_name: taken.userName.toUpperCase() }),
      ],
      ['email', (taken: Taken) => ({ user_name: tenantUserName(), email: taken.email })],
      [
        'mobile (in another notation)',
        (taken: Taken) => ({
          user_name: tenantUserName(),
          mobile: taken.mobile.replace('+86', ''),
        }),
      ],
    ])('should answer IDAAS.TENANT.USER.0409 for a taken %s', async (_case, body) => {
      const taken = {
        userName: tenantUserName(),
        email: `${tenantUserName().toLowerCase()}@example.com`,
        mobile: uniqueCnMobile(),
      };
      await createUser({
        user_name: taken.userName,
        email: taken.email,
        mobile: taken.mobile,
      }).expect(200);
      await expect(createUser(body(taken)).then(wire)).resolves.toEqual({
        status: 400,
        body: {
          error_code: 'IDAAS.TENANT.USER.0409',
          error_msg:
            'The user name, mobile or email is already in use, or the user was changed by another request, please try again',
        },
        type: CONTENT_TYPE,
      });
    });

    it('should check the password against the policy and the new user’s own details', async () => {
      const userName = tenantUserName();
      await expect(
        createUser({ user_name: userName, password: [...userName].reverse().join('') }).then(wire),
      ).resolves.toEqual({
        status: 400,
        body: {
          error_code: 'IDAAS.TENANT.PWD.0002',
          error_msg: 'Password cannot username in reverse order',
        },
        type: CONTENT_TYPE,
      });
      // Nothing was created: the name is still free.
      await createUser({ user_name: userName }).expect(200);
    });

    it.each([
      ['no user_name', {}, 'user_name'],
      ['a user_name with a space', { user_name: 'a b' }, 'user_name'],
      // Refused by the domain's RFC 8265 check, which calls the field `username`.
      ['a user_name with a zero-width space', { user_name: 'ab\u200Bcd' }, 'user_name'],
      ['a malformed email', { user_name: 'x', email: 'not-an-email' }, 'email'],
      ['a malformed mobile', { user_name: 'x', mobile: '12' }, 'mobile'],
      ['a null name', { user_name: 'x', name: null }, 'name'],
      ['an unknown field', { user_name: 'x', nickname: 'x' }, 'nickname'],
    ])('should answer IDAAS.TENANT.COMMON.0001 for %s', async (_case, body, field) => {
      await expect(createUser(body).then(wire)).resolves.toEqual({
        status: 400,
        body: {
          error_code: 'IDAAS.TENANT.COMMON.0001',
          error_msg: `Invalid request parameter: ${field}`,
        },
        type: CONTENT_TYPE,
      });
    });

    it('should answer invalid_token without a token', async () => {
      await expect(
        http().post('/api/v2/tenant/users').send({ user_name: tenantUserName() }).then(wire),
      ).resolves.toEqual({
        status: 400,
        body: { error: 'invalid_token', error_description: 'Invalid access' },
        type: CONTENT_TYPE,
      });
    });
  });
});

interface Taken {
  userName: string;
  email: string;
  mobile: string;
}
