import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createTestApp } from '../../utils/create-test-app';
import { IdaasTenantUsersController } from '../../../src/dialects/idaas/tenant/idaas-tenant-users.controller';
import { tenantClient, type TenantClient, tenantUserName } from './tenant-test-app';

const CONTENT_TYPE = 'application/json; charset=utf-8';
const MISSING_USER = '20201028102749564-9082-DC8CD2722';

type Language = 'en' | 'zh';

/**
 * Seed 002's error table, one exact body per code and language: the vendor's English (typos
 * kept), the Chinese twins of seed 004, `{0}`/`{1}` filled from the test application's policy
 * (8 to 20 characters, 3 classes, at most 3 repeats).
 */
const SEED_002: Record<string, Record<Language, string>> = {
  // Seed 002 gives no Chinese for USER.0001; this is seed 004's style ("…不存在").
  'IDAAS.TENANT.USER.0001': { en: 'User not found', zh: '用户不存在' },
  'IDAAS.TENANT.PWD.0001': {
    en: 'The password is used before, cannot be used again',
    zh: '不允许使用历史密码',
  },
  'IDAAS.TENANT.PWD.0002': {
    en: 'Password cannot username in reverse order',
    zh: '密码不允许使用用户名的倒写',
  },
  'IDAAS.TENANT.PWD.0003': {
    en: 'Password cannot contain :username, mobile number, email prefix, name in PinYing',
    zh: '密码中不允许包含:用户名、手机号、邮箱前缀、姓名拼音',
  },
  'IDAAS.TENANT.PWD.0004': {
    en:
      'Your password complexity is low, it must contain at least 3 of: lowercase letters, ' +
      'uppercase letters, digits, special characters; add 2 more of: uppercase letters, digits, ' +
      'special characters',
    zh: '密码复杂度低,至少包含小写字母、大写字母、数字、特殊字符中的3类,还需包含大写字母、数字、特殊字符中的2类',
  },
  'IDAAS.TENANT.PWD.0005': { en: 'The password is weak', zh: '该密码为弱密码' },
  'IDAAS.TENANT.PWD.0006': {
    en: 'Number of character repeat in password should not exceed 3',
    zh: '密码中最大字符重复数不能超过3',
  },
  'IDAAS.TENANT.PWD.0007': {
    en: 'The password must contain 8 to 20 characters',
    zh: '密码长度为8~20个字符',
  },
};

const INVALID_ACCESS = { error: 'invalid_token', error_description: 'Invalid access' };

const LANGUAGES: ReadonlyArray<[Language, Record<string, string>]> = [
  ['en', {}],
  ['en', { 'X-L': 'en-US' }],
  ['zh', { 'X-L': 'zh-CN' }],
  ['zh', { 'X-L': 'zh' }],
];

describe(`${IdaasTenantUsersController.name} contract (seed 002)`, () => {
  let app: NestExpressApplication;
  let tenant: TenantClient;
  const wire = (res: request.Response) => ({
    status: res.status,
    body: res.body as unknown,
    type: res.headers['content-type'],
  });
  const expected = (code: string, language: Language) => ({
    status: 400,
    body: { error_code: code, error_msg: SEED_002[code]?.[language] },
    type: CONTENT_TYPE,
  });
  const changePassword = (userId: string, body: object, headers: Record<string, string> = {}) =>
    request(app.getHttpServer())
      .put(`/api/v2/tenant/users/${encodeURIComponent(userId)}/change-password`)
      .set(headers)
      .auth(tenant.token, { type: 'bearer' })
      .send(body);
  const createUser = async (body: object = {}) => {
    const userName = tenantUserName();
    const res = await request(app.getHttpServer())
      .post('/api/v2/tenant/users')
      .auth(tenant.token, { type: 'bearer' })
      .send({ user_name: userName, email: `${userName.toLowerCase()}@example.com`, ...body })
      .expect(200);
    return { userId: res.body.user_id as string, userName };
  };

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await tenantClient(app);
  });

  afterAll(async () => {
    await app.close();
  });

  describe.each(LANGUAGES)('in %s (%j)', (language, headers) => {
    it('should answer IDAAS.TENANT.USER.0001 for an unknown user', async () => {
      await expect(
        changePassword(MISSING_USER, { password: 'Fresh-Passw0rd' }, headers).then(wire),
      ).resolves.toEqual(expected('IDAAS.TENANT.USER.0001', language));
    });

    it('should answer IDAAS.TENANT.PWD.0001 for the current and for a previous password', async () => {
      const { userId } = await createUser({ password: 'First-Passw0rd' });
      await expect(
        changePassword(userId, { password: 'First-Passw0rd' }, headers).then(wire),
      ).resolves.toEqual(expected('IDAAS.TENANT.PWD.0001', language));
      await changePassword(userId, { password: 'Second-Passw0rd' }).expect(200);
      await expect(
        changePassword(userId, { password: 'First-Passw0rd' }, headers).then(wire),
      ).resolves.toEqual(expected('IDAAS.TENANT.PWD.0001', language));
    });

    it.each([
      [
        'IDAAS.TENANT.PWD.0002',
        'the user name reversed',
        (name: string) => [...name].reverse().join(''),
      ],
      ['IDAAS.TENANT.PWD.0003', 'the user name inside', (name: string) => `${name}!Z`],
      ['IDAAS.TENANT.PWD.0004', 'one character class of three', () => 'onlylowercase'],
      ['IDAAS.TENANT.PWD.0005', 'a common password', () => 'P@ssw0rd'],
      ['IDAAS.TENANT.PWD.0006', 'four repeated characters', () => 'Abbbb123!'],
      ['IDAAS.TENANT.PWD.0007', 'seven characters', () => 'Ab1!xyz'],
    ])('should answer %s for %s', async (code, _case, password) => {
      const { userId, userName } = await createUser();
      await expect(
        changePassword(userId, { password: password(userName) }, headers).then(wire),
      ).resolves.toEqual(expected(code, language));
    });
  });

  /**
   * Every other code the tenant API answers, in Chinese: Tessera's codes have no seed wording, so
   * these are the table's own Chinese lines (the compiler requires one per code).
   */
  describe('every other tenant code, in Chinese (X-L: zh-CN)', () => {
    const ZH = { 'X-L': 'zh-CN' };
    const http = () => request(app.getHttpServer());
    const tenantApi = (req: request.Test) => req.set(ZH).auth(tenant.token, { type: 'bearer' });
    const zhError = (status: number, error_code: string, error_msg: string) => ({
      status,
      body: { error_code, error_msg },
      type: CONTENT_TYPE,
    });
    const tokenQuery = (extra: Record<string, string>) => ({
      grant_type: 'client_credentials',
      client_id: tenant.application.client_id,
      client_secret: tenant.application.client_secret,
      ...extra,
    });

    it.each<[string, () => Promise<request.Response>, ReturnType<typeof zhError>]>([
      [
        'an unsupported grant_type at the token endpoint',
        () =>
          http()
            .post('/api/v2/tenant/token')
            .set(ZH)
            .query(tokenQuery({ grant_type: 'password' })),
        zhError(400, 'IDAAS.TENANT.COMMON.0001', '请求参数不合法: grant_type'),
      ],
      [
        'a scope other than all at the token endpoint',
        () =>
          http()
            .post('/api/v2/tenant/token')
            .set(ZH)
            .query(tokenQuery({ scope: 'admin' })),
        zhError(400, 'IDAAS.TENANT.COMMON.0001', '请求参数不合法: scope'),
      ],
      [
        'a change without a password',
        () =>
          tenantApi(http().put(`/api/v2/tenant/users/${MISSING_USER}/change-password`)).send({}),
        zhError(400, 'IDAAS.TENANT.COMMON.0001', '请求参数不合法: password'),
      ],
      [
        'a user_name with a zero-width space (named as sent, not as the domain calls it)',
        () =>
          tenantApi(http().post('/api/v2/tenant/users')).send({
            user_name: `${tenantUserName()}\u200B`,
          }),
        zhError(400, 'IDAAS.TENANT.COMMON.0001', '请求参数不合法: user_name'),
      ],
      [
        'a taken user name',
        async () => {
          const { userName } = await createUser();
          return await tenantApi(http().post('/api/v2/tenant/users')).send({ user_name: userName });
        },
        zhError(
          400,
          'IDAAS.TENANT.USER.0409',
          '用户名、手机号或邮箱已被使用，或用户已被其他请求修改，请重试',
        ),
      ],
      [
        'an unknown tenant path',
        () => http().get('/api/v2/tenant/users/u-1/nothing').set(ZH),
        zhError(404, 'IDAAS.COMMON.0404', '资源不存在'),
      ],
      [
        'a text/plain body',
        () =>
          tenantApi(http().post('/api/v2/tenant/users'))
            .set('Content-Type', 'text/plain')
            .send('user_name=x'),
        zhError(415, 'IDAAS.COMMON.0415', 'Content-Type必须为application/json'),
      ],
      [
        'a body over the size limit',
        () =>
          tenantApi(http().post('/api/v2/tenant/users')).send({
            user_name: tenantUserName(),
            name: 'x'.repeat(64 * 1024),
          }),
        zhError(413, 'IDAAS.COMMON.0413', '请求体过大'),
      ],
    ])('should answer %s in Chinese', async (_case, send, expected) => {
      expect(wire(await send())).toEqual(expected);
    });

    it('should answer too many changes of one user in Chinese', async () => {
      const target = `${MISSING_USER}-rate`;
      let res: request.Response | undefined;
      // Bounded: the per-account limit is 30 a minute.
      for (let i = 0; i < 40 && res?.status !== 429; i += 1)
        res = await tenantApi(http().put(`/api/v2/tenant/users/${target}/change-password`)).send(
          {},
        );
      expect(res && wire(res)).toEqual(
        zhError(429, 'IDAAS.COMMON.0429', '请求过于频繁,请稍后再试'),
      );
    });
  });

  it('should fill PWD.0007 from the policy that applies (the realm default: 8 to 64)', async () => {
    const { admin } = tenant;
    const userName = tenantUserName();
    const created = await request(app.getHttpServer())
      .post('/admin/users')
      .auth(admin, { type: 'bearer' })
      .send({ username: userName })
      .expect(201);
    // The bootstrap client has no override: the realm's policy applies to its tokens.
    await expect(
      request(app.getHttpServer())
        .put(`/api/v2/tenant/users/${created.body.user_id as string}/change-password`)
        .auth(admin, { type: 'bearer' })
        .send({ password: 'Ab1!xyz' })
        .then(wire),
    ).resolves.toEqual({
      status: 400,
      body: {
        error_code: 'IDAAS.TENANT.PWD.0007',
        error_msg: 'The password must contain 8 to 64 characters',
      },
      type: CONTENT_TYPE,
    });
  });

  it('should report only the first violated rule (length before complexity)', async () => {
    const { userId } = await createUser();
    await expect(changePassword(userId, { password: 'short' }).then(wire)).resolves.toEqual(
      expected('IDAAS.TENANT.PWD.0007', 'en'),
    );
  });

  it.each([
    ['no password', {}, 'Invalid request parameter: password'],
    ['a non-string password', { password: 12345678 }, 'Invalid request parameter: password'],
    [
      'a non-boolean must_modify',
      { password: 'Fresh-Passw0rd', must_modify: 'false' },
      'Invalid request parameter: must_modify',
    ],
    [
      'must_modify and pwd_must_modify that disagree',
      { password: 'Fresh-Passw0rd', must_modify: true, pwd_must_modify: false },
      'Invalid request parameter: must_modify|pwd_must_modify',
    ],
    [
      'an unknown field',
      { password: 'Fresh-Passw0rd', colour: 'blue' },
      'Invalid request parameter: colour',
    ],
  ])('should answer IDAAS.TENANT.COMMON.0001 for %s', async (_case, body, message) => {
    const { userId } = await createUser();
    await expect(changePassword(userId, body).then(wire)).resolves.toEqual({
      status: 400,
      body: { error_code: 'IDAAS.TENANT.COMMON.0001', error_msg: message },
      type: CONTENT_TYPE,
    });
  });

  it('should answer invalid_token before looking at the body or the user', async () => {
    await expect(
      request(app.getHttpServer())
        .put(`/api/v2/tenant/users/${MISSING_USER}/change-password`)
        .send({})
        .then(wire),
    ).resolves.toEqual({ status: 400, body: INVALID_ACCESS, type: CONTENT_TYPE });
  });
});
