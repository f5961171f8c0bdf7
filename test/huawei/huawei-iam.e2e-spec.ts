import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { HuaweiIamController } from '../../src/dialects/huawei-iam/huawei-iam.controller';
import { User } from '../../src/users/user.entity';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const KEYSTONE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const SEED_CONTENT_TYPE = 'application/json;charset=utf8';
const UNAUTHORIZED = {
  error: {
    code: 401,
    title: 'Unauthorized',
    message: 'The request you have made requires authentication.',
  },
};
const FORBIDDEN = {
  error: {
    code: 403,
    title: 'Forbidden',
    message: 'You are not authorized to perform the requested action.',
  },
};
/** An IAM-coded 400: the message is written out so that a change of wording fails the test. */
const iamError = (code: string, message: string) => ({
  error: { code, title: 'Bad Request', message },
  error_code: code,
  error_msg: message,
});

describe(HuaweiIamController.name, () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
  });
  afterAll(() => app.close());

  function passwordAuth(user: { name?: string; id?: string; password: string }, scope?: unknown) {
    const identity = {
      methods: ['password'],
      password: {
        user: {
          ...(user.name ? { name: user.name, domain: { name: 'acme' } } : { id: user.id }),
          password: user.password,
        },
      },
    };
    return { auth: { identity, ...(scope ? { scope } : {}) } };
  }

  const signIn = (user: TestUser) =>
    http()
      .post('/v3/auth/tokens')
      .set('Content-Type', SEED_CONTENT_TYPE)
      .send(JSON.stringify(passwordAuth({ name: user.username, password: user.password })))
      .expect(201);

  const tokenOf = async (user: TestUser): Promise<string> =>
    (await signIn(user)).headers['x-subject-token'];

  const changePassword = (token: string, userId: string, body: unknown) =>
    http()
      .post(`/v3/users/${userId}/password`)
      .set('X-Auth-Token', token)
      .set('Content-Type', SEED_CONTENT_TYPE)
      .send(JSON.stringify(body));

  describe('POST /v3/auth/tokens', () => {
    it('should answer 201 with the token in X-Subject-Token and a Keystone body', async () => {
      const user = await createUser(app, admin, { name: '张三' });
      const before = Date.now();
      const res = await signIn(user);
      const token = res.headers['x-subject-token'];
      expect(token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        token: {
          expires_at: expect.stringMatching(KEYSTONE_TIME),
          issued_at: expect.stringMatching(KEYSTONE_TIME),
          methods: ['password'],
          catalog: [],
          roles: [],
          user: {
            id: user.user_id,
            name: user.username,
            domain: { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'acme' },
            password_expires_at: null,
          },
        },
      });
      const lifetime =
        Date.parse(res.body.token.expires_at as string) -
        Date.parse(res.body.token.issued_at as string);
      expect(lifetime).toBe(24 * 3600 * 1000);
      expect(Date.parse(res.body.token.issued_at as string)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('should sign in by user id with a project scope, and accept ?nocatalog', async () => {
      const user = await createUser(app, admin);
      const res = await http()
        .post('/v3/auth/tokens?nocatalog=true')
        .send(
          passwordAuth(
            { id: user.user_id, password: user.password },
            { project: { name: 'cn-north-4' } },
          ),
        )
        .expect(201);
      expect(res.body.token.project).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        name: 'cn-north-4',
        domain: { id: expect.any(String), name: 'Default' },
      });
      expect(res.body.token.user.id).toBe(user.user_id);
    });

    it("should scope a token to the user's own domain, by name or by id", async () => {
      const user = await createUser(app, admin);
      const credentials = { name: user.username, password: user.password };
      const ownDomain = (await signIn(user)).body.token.user.domain as { id: string; name: string };
      expect(ownDomain.name).toBe('acme');
      for (const domain of [{ name: 'acme' }, { id: ownDomain.id }, ownDomain]) {
        const res = await http()
          .post('/v3/auth/tokens')
          .send(passwordAuth(credentials, { domain }))
          .expect(201);
        expect([domain, res.body.token.domain]).toEqual([domain, ownDomain]);
        expect(res.body.token.project).toBeUndefined();
      }
      const byId = await http()
        .post('/v3/auth/tokens')
        .send(
          passwordAuth(
            { id: user.user_id, password: user.password },
            { domain: { name: 'Default' } },
          ),
        )
        .expect(201);
      expect(byId.body.token.domain).toEqual(byId.body.token.user.domain);
      expect(byId.body.token.domain.name).toBe('Default');
    });

    it("should refuse a domain or project scope outside the user's domain with the 401 of wrong credentials", async () => {
      const user = await createUser(app, admin);
      const credentials = { name: user.username, password: user.password };
      const ownDomain = (await signIn(user)).body.token.user.domain as { id: string; name: string };
      const foreign = [
        { domain: { name: 'other' } },
        { domain: { id: 'f'.repeat(32) } },
        { domain: { id: ownDomain.id, name: 'other' } },
        { domain: { name: 'acme' }, byId: true },
        { project: { name: 'cn-north-4', domain: { name: 'other' } } },
        { project: { name: 'cn-north-4', domain: { id: 'f'.repeat(32) } } },
      ];
      for (const { byId, ...scope } of foreign) {
        const identity = byId ? { id: user.user_id, password: user.password } : credentials;
        const res = await http().post('/v3/auth/tokens').send(passwordAuth(identity, scope));
        expect([scope, res.status, res.body]).toEqual([scope, 401, UNAUTHORIZED]);
      }
      const inDomain = await http()
        .post('/v3/auth/tokens')
        .send(
          passwordAuth(credentials, { project: { name: 'cn-north-4', domain: { name: 'acme' } } }),
        )
        .expect(201);
      expect(inDomain.body.token.project).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        name: 'cn-north-4',
        domain: ownDomain,
      });
    });

    it('should answer an unknown user, a wrong password and a frozen or locked user with the same 401', async () => {
      const user = await createUser(app, admin);
      const attempt = (name: string, password: string) =>
        http().post('/v3/auth/tokens').send(passwordAuth({ name, password })).expect(401);
      const bodies = [
        (await attempt(user.username, 'Wrong-Passw0rd-9')).body,
        (await attempt(`${user.username}-nobody`, user.password)).body,
      ];
      for (const status of ['frozen', 'locked']) {
        await http()
          .patch(`/admin/users/${user.user_id}`)
          .auth(admin, { type: 'bearer' })
          .send({ status })
          .expect(200);
        bodies.push((await attempt(user.username, user.password)).body);
      }
      for (const body of bodies) expect(body).toEqual(UNAUTHORIZED);
    });

    it.each([
      ['no body', undefined, 'auth'],
      ['no auth', {}, 'auth'],
      [
        'no password method',
        { auth: { identity: { methods: ['token'], password: {} } } },
        'auth.identity.methods',
      ],
      [
        'no password',
        { auth: { identity: { methods: ['password'], password: { user: { name: 'x' } } } } },
        'auth.identity.password.user.password',
      ],
      [
        'no user name or id',
        { auth: { identity: { methods: ['password'], password: { user: { password: 'x' } } } } },
        'auth.identity.password.user.name',
      ],
      [
        'a number for a name',
        {
          auth: {
            identity: { methods: ['password'], password: { user: { name: 1, password: 'x' } } },
          },
        },
        'auth.identity.password.user.name',
      ],
      [
        'a domain scope without id or name',
        {
          auth: {
            identity: { methods: ['password'], password: { user: { name: 'x', password: 'x' } } },
            scope: { domain: {} },
          },
        },
        'auth.scope.domain.name',
      ],
      [
        'null for the password',
        {
          auth: {
            identity: { methods: ['password'], password: { user: { name: 'x', password: null } } },
          },
        },
        'auth.identity.password.user.password',
      ],
    ])('should answer %s with 400 and IAM code 1100', async (_case, body, field) => {
      const res = await http()
        .post('/v3/auth/tokens')
        .send(body ?? '')
        .expect(400);
      expect(res.body).toEqual(iamError('1100', `Missing or invalid parameter: ${field}.`));
    });
  });

  describe('GET /v3/auth/tokens', () => {
    it('should validate its own token with the same body and header', async () => {
      const user = await createUser(app, admin);
      const issued = await signIn(user);
      const token = issued.headers['x-subject-token'];
      const res = await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', token)
        .set('X-Subject-Token', token)
        .expect(200);
      expect(res.headers['x-subject-token']).toBe(token);
      expect(res.body).toEqual(issued.body);
    });

    it("should let only an administrator validate another user's token, and say 404 for an invalid one", async () => {
      const alice = await createUser(app, admin);
      const bob = await createUser(app, admin);
      const aliceToken = await tokenOf(alice);
      const bobToken = await tokenOf(bob);
      const denied = await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', bobToken)
        .set('X-Subject-Token', aliceToken)
        .expect(403);
      expect(denied.body).toEqual(FORBIDDEN);
      await http()
        .patch(`/admin/users/${bob.user_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ roles: ['admin'] })
        .expect(200);
      const seen = await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', bobToken)
        .set('X-Subject-Token', aliceToken)
        .expect(200);
      expect(seen.body.token.user.id).toBe(alice.user_id);
      const missing = await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', bobToken)
        .set('X-Subject-Token', `${aliceToken}x`)
        .expect(404);
      expect(missing.body).toEqual({
        error: { code: 404, title: 'Not Found', message: 'The resource could not be found.' },
      });
      const unauthenticated = await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', `${bobToken}x`)
        .set('X-Subject-Token', aliceToken)
        .expect(401);
      expect(unauthenticated.body).toEqual(UNAUTHORIZED);
      await http().get('/v3/auth/tokens').set('X-Subject-Token', aliceToken).expect(401);
    });
  });

  describe('POST /v3/users/{user_id}/password', () => {
    it('should change the password with 204 and no body, then reject every earlier token of the user', async () => {
      const admin2 = await adminToken(app);
      const client = await createApplication(app, admin2);
      const user = await createUser(app, admin);
      const token = await tokenOf(user);
      const other = await tokenOf(user);
      const jwt = (await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200)).body
        .access_token as string;

      const res = await changePassword(token, user.user_id, {
        user: { password: 'Huawei-Changed-7', original_password: user.password },
      }).expect(204);
      expect(res.text).toBe('');
      expect(res.headers['content-type']).toBeUndefined();

      for (const dead of [token, other]) {
        await http()
          .get('/v3/auth/tokens')
          .set('X-Auth-Token', dead)
          .set('X-Subject-Token', dead)
          .expect(401);
      }
      await http().get('/oauth2/userinfo').auth(jwt, { type: 'bearer' }).expect(401);
      await signIn({ ...user, password: 'Huawei-Changed-7' });
    });

    it('should let a Tencent change kill an X-Auth-Token', async () => {
      const client = await createApplication(app, admin);
      const user = await createUser(app, admin);
      const token = await tokenOf(user);
      const jwt = (await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200)).body
        .access_token as string;
      await http()
        .post('/change_user_password')
        .auth(jwt, { type: 'bearer' })
        .send({ old_password: user.password, new_password: 'Tencent-Changed-7' })
        .expect(200);
      await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', token)
        .set('X-Subject-Token', token)
        .expect(401);
    });

    it('should check token, user, ownership, body, original password, then the policy, in that order', async () => {
      const user = await createUser(app, admin);
      const other = await createUser(app, admin);
      const token = await tokenOf(user);
      const valid = {
        user: { password: 'Huawei-Next-Passw0rd', original_password: user.password },
      };

      expect((await changePassword('nope', user.user_id, valid).expect(401)).body).toEqual(
        UNAUTHORIZED,
      );
      const unknown = await changePassword(token, 'no-such-user', {}).expect(404);
      expect(unknown.body).toEqual({
        error: { code: 404, title: 'Not Found', message: 'Could not find the user.' },
      });
      const foreign = await changePassword(token, other.user_id, {}).expect(403);
      expect(foreign.body).toEqual(FORBIDDEN);
      const malformed: Array<[unknown, string]> = [
        [{}, 'Missing or invalid parameter: user.'],
        [{ user: { password: 'x' } }, 'Missing or invalid parameter: user.original_password.'],
        [{ user: { original_password: 'x' } }, 'Missing or invalid parameter: user.password.'],
      ];
      for (const [body, message] of malformed) {
        const res = await changePassword(token, user.user_id, body).expect(400);
        expect([body, res.body]).toEqual([body, iamError('1100', message)]);
      }
      const wrong = await changePassword(token, user.user_id, {
        user: { password: 'password', original_password: 'Not-The-Passw0rd' },
      }).expect(401);
      expect(wrong.body).toEqual({
        error: { code: 401, title: 'Unauthorized', message: 'The original password is incorrect.' },
      });
      const cases: Array<[string, string, string]> = [
        [user.password, '1108', 'The new password cannot be the same as the original password.'],
        ['password', '1118', 'The password is too weak.'],
        ['Zq9x', '1103', 'The password must contain 8 to 64 characters.'],
        [
          'alllowercaseletters',
          '1103',
          'The password must contain at least 2 of the following character types: uppercase ' +
            'letters, lowercase letters, digits, and special characters.',
        ],
      ];
      for (const [password, code, message] of cases) {
        const res = await changePassword(token, user.user_id, {
          user: { password, original_password: user.password },
        }).expect(400);
        expect([password, res.body]).toEqual([password, iamError(code, message)]);
      }
    });

    it('should refuse a previous password with 1103 (history)', async () => {
      const user = await createUser(app, admin);
      let token = await tokenOf(user);
      await changePassword(token, user.user_id, {
        user: { password: 'History-Huawei-2', original_password: user.password },
      }).expect(204);
      token = await tokenOf({ ...user, password: 'History-Huawei-2' });
      const res = await changePassword(token, user.user_id, {
        user: { password: user.password, original_password: 'History-Huawei-2' },
      }).expect(400);
      expect(res.body).toEqual(
        iamError('1103', 'The password cannot be the same as any of the last 5 passwords.'),
      );
    });

    it.each([
      ['frozen', 'The account is disabled.'],
      ['locked', 'The account is locked.'],
    ])('should refuse a %s user changing the password with 403 "%s"', async (status, message) => {
      const user = await createUser(app, admin);
      const token = await tokenOf(user);
      await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .send({ status })
        .expect(200);
      const res = await changePassword(token, user.user_id, {
        user: { password: 'Huawei-Next-Passw0rd', original_password: user.password },
      }).expect(403);
      expect(res.body).toEqual({ error: { code: 403, title: 'Forbidden', message } });
    });

    it('should answer another method on these paths with 405', async () => {
      const user = await createUser(app, admin);
      const res = await http().get(`/v3/users/${user.user_id}/password`).expect(405);
      expect(res.body).toEqual({
        error: {
          code: 405,
          title: 'Method Not Allowed',
          message: 'The method is not allowed for the requested URL.',
        },
      });
      await http().delete('/v3/auth/tokens').expect(405);
    });
  });

  describe('a password that must be changed', () => {
    it('should give a token that validates and changes the password, and nothing else', async () => {
      const user = await createUser(app, admin, { must_change_password: true });
      const res = await signIn(user);
      const token = res.headers['x-subject-token'];
      await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', token)
        .set('X-Subject-Token', token)
        .expect(200);
      await changePassword(token, user.user_id, {
        user: { password: 'Forced-Change-Passw0rd', original_password: user.password },
      }).expect(204);
    });

    it('should give an expired password a token that changes it and shows when it expired', async () => {
      const user = await createUser(app, admin);
      const changedAt = new Date(Date.now() - 100 * 86_400_000);
      await app
        .get(DataSource)
        .getRepository(User)
        .update({ id: user.user_id }, { passwordChangedAt: changedAt });
      const setRealmMaxAge = (days: number) =>
        http()
          .put('/admin/password-policy')
          .auth(admin, { type: 'bearer' })
          .send({ max_age_days: days })
          .expect(200);
      await setRealmMaxAge(90);
      try {
        const res = await signIn(user);
        const expiresAt = Date.parse(res.body.token.user.password_expires_at as string);
        expect(expiresAt).toBe(changedAt.getTime() + 90 * 86_400_000);
        const token = res.headers['x-subject-token'];
        await changePassword(token, user.user_id, {
          user: { password: 'Expired-Renewed-Passw0rd', original_password: user.password },
        }).expect(204);
        const renewed = await signIn({ ...user, password: 'Expired-Renewed-Passw0rd' });
        expect(Date.parse(renewed.body.token.user.password_expires_at as string)).toBeGreaterThan(
          Date.now() + 89 * 86_400_000,
        );
      } finally {
        await setRealmMaxAge(0);
      }
    });
  });
});
