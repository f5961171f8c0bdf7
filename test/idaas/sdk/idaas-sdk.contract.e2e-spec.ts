import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../../utils/auth-helpers';
import { createTestApp } from '../../utils/create-test-app';
import { idaasError, sdkHeaders, sdkIdToken } from './idaas-sdk-test-app';

/** How each language is asked for: `X-L` starting with `zh` is Chinese, anything else English. */
const LANGUAGES = [
  ['absent', undefined, 'en'],
  ['en', 'en', 'en'],
  ['zh', 'zh', 'zh'],
  ['zh-CN', 'zh-CN', 'zh'],
] as const;

/** One seed 004 error: its code and both messages, byte for byte. */
interface SeedError {
  code: string;
  en: string;
  zh: string;
}

const seed = (code: string, en: string, zh: string): SeedError => ({ code, en, zh });

/** Seed 004's error table (and API.md §4 for PWD.0008, USER.0002/0003). */
const SEED = {
  device: seed('IDAAS.SDK.PARAM.0001', 'Device information is incomplete', '设备信息不完整'),
  clientId: seed('IDAAS.SDK.PARAM.0002', 'clientId cannot be empty', 'clientId不能为空'),
  unregistered: seed(
    'IDAAS.SDK.PARAM.0003',
    'The app is not registered, please register the app first',
    '应用未注册,请先注册应用',
  ),
  noIdToken: seed('IDAAS.SDK.PARAM.0015', 'IdToken cannot be empty', 'IdToken不能为空'),
  badIdToken: seed('IDAAS.SDK.PARAM.0016', 'IdToken is invalid or expired', 'IdToken无效或已过期'),
  noOld: seed('IDAAS.SDK.PARAM.0018', 'Original password cannot be empty', '原密码不能为空'),
  noNew: seed('IDAAS.SDK.PARAM.0019', 'New password cannot be empty', '新密码不能为空'),
  same: seed(
    'IDAAS.SDK.PARAM.0020',
    'The original password and the new password do not match',
    '原密码和新密码不能一致',
  ),
  history: seed(
    'IDAAS.SDK.PWD.0001',
    'The password is used before, cannot be used again',
    '不允许使用历史密码',
  ),
  username: seed(
    'IDAAS.SDK.PWD.0002',
    'Password cannot username in reverse order',
    '密码不允许使用用户名的倒写',
  ),
  personal: seed(
    'IDAAS.SDK.PWD.0003',
    'Password cannot contain :username, phone number, email prefix, name in PinYing',
    '密码中不允许包含:用户名、手机号、邮箱前缀、姓名拼音',
  ),
  complexity: seed(
    'IDAAS.SDK.PWD.0004',
    'Your password complexity is low, it must contain at least 2 of: lowercase letters, uppercase ' +
      'letters, digits, special characters; add 1 more of: uppercase letters, digits, special characters',
    '密码复杂度低,至少包含小写字母、大写字母、数字、特殊字符中的2类,还需包含大写字母、数字、特殊字符中的1类',
  ),
  weak: seed('IDAAS.SDK.PWD.0005', 'The password is weak', '该密码为弱密码'),
  repeat: seed(
    'IDAAS.SDK.PWD.0006',
    'Number of character repeat in password should not exceed 3',
    '密码中最大字符重复数不能超过3',
  ),
  length: seed(
    'IDAAS.SDK.PWD.0007',
    'The password must contain 8 to 64 characters',
    '密码长度为8~64个字符',
  ),
  wrongOld: seed('IDAAS.SDK.PWD.0008', 'The original password is incorrect', '原密码错误'),
  frozen: seed('IDAAS.SDK.USER.0002', 'User is disabled', '用户已禁用'),
  locked: seed('IDAAS.SDK.USER.0003', 'User is locked', '用户已锁定'),
} as const;

describe('IDaaS SDK wire contract (seed 004)', () => {
  let app: NestExpressApplication;
  let admin: string;
  /** An application whose policy also limits repeated characters (PWD.0006). */
  let client: TestApplication;
  let other: TestApplication;
  const http = () => request(app.getHttpServer());

  const withLanguage = (req: request.Test, language: string | undefined) =>
    language === undefined ? req : req.set('X-L', language);

  /** A fresh user signed in at `client`, with the id_token of a SDK login. */
  async function signedIn(input: Parameters<typeof createUser>[2] = {}): Promise<{
    user: TestUser;
    idToken: string;
  }> {
    const user = await createUser(app, admin, input);
    const idToken = await sdkIdToken(app, client.client_id, {
      user_name: user.username,
      password: user.password,
    });
    return { user, idToken };
  }

  const change = (idToken: string, body: object, language?: string) =>
    withLanguage(
      http()
        .post('/api/v2/sdk/pwd/change')
        .set(sdkHeaders(client.client_id))
        .set('Authorization', `Bearer ${idToken}`)
        .send(body),
      language,
    );

  const expectError = (res: request.Response, error: SeedError, language: 'en' | 'zh') => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(idaasError(error.code, error[language]));
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
    client = await createApplication(app, admin, { type: 'mobile' });
    other = await createApplication(app, admin, { type: 'spa' });
    await http()
      .put(`/admin/applications/${client.client_id}/password-policy`)
      .auth(admin, { type: 'bearer' })
      .send({ max_repeated_chars: 3 })
      .expect(200);
  });
  afterAll(() => app.close());

  describe('header checks, in the vendor order', () => {
    const device = (clientId: string) => sdkHeaders(clientId);
    const without = (headers: Record<string, string>, ...names: string[]) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));

    describe.each(LANGUAGES)('with X-L %s', (_name, header, language) => {
      it.each([['X-operating-sys-version'], ['X-device-fingerprint'], ['X-agent']])(
        'should answer PARAM.0001 without %s, even without client id and token',
        async (name) => {
          const res = await withLanguage(
            http()
              .post('/api/v2/sdk/pwd/change')
              .set(without(device(client.client_id), name, 'X-client-id'))
              .send({ new_password: 'x' }),
            header,
          );
          expectError(res, SEED.device, language);
        },
      );

      it('should answer PARAM.0001 for an empty device header', async () => {
        const res = await withLanguage(
          http()
            .post('/api/v2/sdk/login')
            .set({ ...device(client.client_id), 'X-agent': '' })
            .send({}),
          header,
        );
        expectError(res, SEED.device, language);
      });

      it('should answer PARAM.0002 without X-client-id, before the token and the body', async () => {
        const res = await withLanguage(
          http()
            .post('/api/v2/sdk/pwd/change')
            .set(without(device(client.client_id), 'X-client-id'))
            .send({}),
          header,
        );
        expectError(res, SEED.clientId, language);
      });

      it('should answer PARAM.0003 for an unregistered client id', async () => {
        const res = await withLanguage(
          http().post('/api/v2/sdk/pwd/change').set(device('no-such-app')).send({}),
          header,
        );
        expectError(res, SEED.unregistered, language);
      });

      it('should answer PARAM.0015 without Authorization', async () => {
        const res = await withLanguage(
          http().post('/api/v2/sdk/pwd/change').set(device(client.client_id)).send({}),
          header,
        );
        expectError(res, SEED.noIdToken, language);
      });

      it('should answer PARAM.0016 for a malformed token', async () => {
        expectError(await change('not-a-jwt', {}, header), SEED.badIdToken, language);
      });

      it.each([
        ['anything after the token', (idToken: string) => `Bearer ${idToken} junk`],
        ['a comma and more after the token', (idToken: string) => `Bearer ${idToken},x`],
        ['a tab after the scheme', (idToken: string) => `Bearer\t${idToken}`],
        ['no scheme', (idToken: string) => idToken],
        ['another scheme', (idToken: string) => `Basic ${idToken}`],
      ])(
        'should answer PARAM.0016 for a valid id_token sent with %s (RFC 6750 §2.1)',
        async (_what, authorization) => {
          const { idToken } = await signedIn();
          const res = await withLanguage(
            http()
              .get('/api/v2/sdk/pwd/check-exist')
              .set(device(client.client_id))
              .set('Authorization', authorization(idToken)),
            header,
          );
          expectError(res, SEED.badIdToken, language);
        },
      );

      it('should accept the scheme in any case and several spaces before the token (RFC 6750 §2.1)', async () => {
        const { idToken } = await signedIn();
        const res = await withLanguage(
          http()
            .get('/api/v2/sdk/pwd/check-exist')
            .set(device(client.client_id))
            .set('Authorization', `bEARER   ${idToken}`),
          header,
        ).expect(200);
        expect(res.body).toEqual({ is_set_pwd: true });
      });

      it('should answer PARAM.0016 for an access token of the same user and application', async () => {
        const user = await createUser(app, admin);
        const tokens = await passwordLogin(app, client, {
          username: user.username,
          password: user.password,
          scope: 'openid',
        }).expect(200);
        expect(tokens.body.id_token).toEqual(expect.any(String));
        expectError(
          await change(tokens.body.access_token as string, {}, header),
          SEED.badIdToken,
          language,
        );
      });

      it('should answer PARAM.0016 for an id_token issued to another application', async () => {
        const user = await createUser(app, admin);
        const idToken = await sdkIdToken(app, other.client_id, {
          user_name: user.username,
          password: user.password,
        });
        expectError(await change(idToken, {}, header), SEED.badIdToken, language);
      });
    });
  });

  describe('POST /api/v2/sdk/pwd/change', () => {
    it('should answer 200 with Content-Type application/json and an empty body', async () => {
      const { user, idToken } = await signedIn();
      const res = await change(idToken, {
        old_password: user.password,
        new_password: 'Seed-004-New-Passw0rd',
      }).expect(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe('');
    });

    type Case = [string, SeedError, (s: { user: TestUser; idToken: string }) => Promise<object>];
    const cases: Case[] = [
      ['a missing old password', SEED.noOld, async () => ({ new_password: 'Fine-New-Passw0rd' })],
      ['a missing new password', SEED.noNew, async ({ user }) => ({ old_password: user.password })],
      [
        'an empty new password',
        SEED.noNew,
        async ({ user }) => ({ old_password: user.password, new_password: '' }),
      ],
      [
        'the old password as the new one',
        SEED.same,
        async ({ user }) => ({ old_password: user.password, new_password: user.password }),
      ],
      [
        'a wrong old password',
        SEED.wrongOld,
        async () => ({ old_password: 'Not-The-Passw0rd', new_password: 'Fine-New-Passw0rd' }),
      ],
      [
        'a too short password',
        SEED.length,
        async ({ user }) => ({ old_password: user.password, new_password: 'Ab1!' }),
      ],
      [
        'a password of one character class',
        SEED.complexity,
        async ({ user }) => ({ old_password: user.password, new_password: 'abcdefghijk' }),
      ],
      [
        'the username reversed',
        SEED.username,
        async ({ user }) => ({
          old_password: user.password,
          new_password: [...user.username].reverse().join(''),
        }),
      ],
      [
        'a password containing the username',
        SEED.personal,
        async ({ user }) => ({ old_password: user.password, new_password: `${user.username}-X9` }),
      ],
      [
        'four identical characters in a row',
        SEED.repeat,
        async ({ user }) => ({ old_password: user.password, new_password: 'Abcd-1111-Wxyz' }),
      ],
      [
        'a common password',
        SEED.weak,
        async ({ user }) => ({ old_password: user.password, new_password: 'qwerty123' }),
      ],
    ];

    describe.each(LANGUAGES)('with X-L %s', (_name, header, language) => {
      it.each(cases)('should answer %s', async (_what, expected, body) => {
        const session = await signedIn();
        expectError(await change(session.idToken, await body(session), header), expected, language);
      });

      it('should answer a reused earlier password with PWD.0001', async () => {
        const { user, idToken } = await signedIn();
        await change(idToken, {
          old_password: user.password,
          new_password: 'Second-Passw0rd-Here',
        }).expect(200);
        const again = await sdkIdToken(app, client.client_id, {
          user_name: user.username,
          password: 'Second-Passw0rd-Here',
        });
        const res = await change(
          again,
          { old_password: 'Second-Passw0rd-Here', new_password: user.password },
          header,
        );
        expectError(res, SEED.history, language);
      });

      it.each([
        ['frozen', SEED.frozen],
        ['locked', SEED.locked],
      ] as const)('should answer a %s user with its USER code', async (status, expected) => {
        const { user, idToken } = await signedIn();
        await http()
          .patch(`/admin/users/${user.user_id}`)
          .auth(admin, { type: 'bearer' })
          .send({ status })
          .expect(200);
        const res = await change(
          idToken,
          { old_password: user.password, new_password: 'Fine-New-Passw0rd' },
          header,
        );
        expectError(res, expected, language);
      });
    });

    it('should count a wrong old password towards lockout', async () => {
      const { user, idToken } = await signedIn();
      for (let i = 0; i < 5; i += 1) {
        expectError(
          await change(idToken, {
            old_password: `Wrong-${i}-Passw0rd`,
            new_password: 'New-Passw0rd-1',
          }),
          SEED.wrongOld,
          'en',
        );
      }
      const res = await change(idToken, {
        old_password: user.password,
        new_password: 'New-Passw0rd-1',
      });
      expectError(res, SEED.locked, 'en');
    });
  });
});
