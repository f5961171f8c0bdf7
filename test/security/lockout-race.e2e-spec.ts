import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordVerifier } from '../../src/credentials/password-verifier.service';
import { HUAWEI_IAM_CLIENT_ID } from '../../src/dialects/huawei-iam/huawei-iam.controller';
import type { ConcurrencyLimiter } from '../../src/hashing/concurrency-limiter';
import { PasswordHasher } from '../../src/hashing/password-hasher.service';
import { PasswordPolicyService } from '../../src/policy/password-policy.service';
import { User } from '../../src/users/user.entity';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';
import { sdkIdToken } from '../idaas/sdk/idaas-sdk-test-app';
import { dialectClients } from './support/dialect-clients';

const THRESHOLD = 5;
const BURST = 30;

const LOCKOUT = {
  lockout_threshold: THRESHOLD,
  lockout_window_seconds: 900,
  lockout_duration_seconds: 900,
};

/**
 * Issue 10 finding 1 (Keycloak #9123): parallel guesses must not outrun the lockout. Each check
 * reserves an attempt before bcrypt runs, so a burst of any size compares at most `THRESHOLD`
 * passwords per window, in every dialect.
 */
describe(`${PasswordVerifier.name}: concurrent guesses against the lockout`, () => {
  let app: NestExpressApplication;
  let admin: string;
  let dialects: ReturnType<typeof dialectClients>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // Rate limits off: a 429 must not stand in for the lockout these tests prove.
    app = await createTestApp({ RATE_LIMIT_IP: '0', RATE_LIMIT_ACCOUNT: '0' });
    admin = await adminToken(app);
    dialects = dialectClients(app);
    // Huawei sign-ins and changes belong to HUAWEI_IAM_CLIENT_ID, which no application row
    // backs for the admin API; the realm is not changed, as suites may share a MariaDB database.
    await app.get(PasswordPolicyService).setApplicationOverride(HUAWEI_IAM_CLIENT_ID, LOCKOUT);
  });
  afterAll(async () => {
    await app.get(PasswordPolicyService).removeApplicationOverride(HUAWEI_IAM_CLIENT_ID);
    await app.close();
  });

  async function lockoutClient(): Promise<TestApplication> {
    const client = await createApplication(app, admin);
    await http()
      .put(`/admin/applications/${client.client_id}/password-policy`)
      .auth(admin, { type: 'bearer' })
      .send(LOCKOUT)
      .expect(200);
    return client;
  }

  /**
   * Counts the bcrypt compares made against this user's real hash. Each is slowed (as at a
   * production cost, where the race was found): at the test cost of 4 a compare ends before the
   * next request arrives, and a burst would be checked one guess at a time, lockout or not.
   */
  async function countRealCompares(user: TestUser): Promise<() => number> {
    const stored = await app
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ id: user.user_id });
    const hasher = app.get(PasswordHasher);
    const compare = hasher.verify.bind(hasher);
    const verify = jest.spyOn(hasher, 'verify').mockImplementation(async (password, hash) => {
      if (hash === stored.passwordHash) await new Promise((resolve) => setTimeout(resolve, 50));
      return compare(password, hash);
    });
    return () => verify.mock.calls.filter(([, hash]) => hash === stored.passwordHash).length;
  }

  afterEach(() => jest.restoreAllMocks());

  it('should compare at most the threshold in a burst of sign-ins, right password included', async () => {
    const client = await lockoutClient();
    const user = await createUser(app, admin);
    const compares = await countRealCompares(user);
    const attempts = Array.from({ length: BURST }, (_, i) =>
      passwordLogin(app, client, {
        username: user.username,
        password: i === BURST - 1 ? user.password : `Wrong-Passw0rd-${i}`,
      }),
    );
    const results = await Promise.all(attempts);
    expect(compares()).toBeLessThanOrEqual(THRESHOLD);
    const succeeded = results.filter((res) => res.status === 200).length;
    expect(succeeded).toBeLessThanOrEqual(1);
    expect(results.filter((res) => res.status !== 200 && res.status !== 400)).toEqual([]);
    // Every refusal is the same answer, so the burst learns nothing about the account.
    const refusals = new Set(
      results.filter((res) => res.status === 400).map((res) => JSON.stringify(res.body)),
    );
    expect(refusals.size).toBe(1);
  });

  it('should refuse the right password after a burst of wrong ones used the attempts up', async () => {
    const client = await lockoutClient();
    const user = await createUser(app, admin);
    const compares = await countRealCompares(user);
    await Promise.all(
      Array.from({ length: BURST - 1 }, (_, i) =>
        passwordLogin(app, client, { username: user.username, password: `Wrong-Passw0rd-${i}` }),
      ),
    );
    expect(compares()).toBeLessThanOrEqual(THRESHOLD);
    const comparedInBurst = compares();
    const res = await passwordLogin(app, client, user).expect(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(compares()).toBe(comparedInBurst);
    const shown = await http()
      .get(`/admin/users/${user.user_id}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(shown.body.status).toBe('locked');
  });

  it('should not lock a user whose app sends more right passwords at once than the threshold', async () => {
    const client = await lockoutClient();
    const user = await createUser(app, admin);
    // A slow compare of the real hash (as at a production cost) keeps the admitted sign-ins in
    // flight while the refused ones return.
    const hasher = app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    jest.spyOn(hasher, 'verify').mockImplementation(async (password, hash) => {
      if (hash) await new Promise((resolve) => setTimeout(resolve, 200));
      return verify(password, hash);
    });
    const results = await Promise.all(
      Array.from({ length: 2 * THRESHOLD }, () => passwordLogin(app, client, user)),
    );
    // Attempts still in flight use the window up, so some are refused; none of them is a failure.
    expect(results.filter((res) => res.status === 200).length).toBeGreaterThanOrEqual(1);
    const shown = await http()
      .get(`/admin/users/${user.user_id}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(shown.body.status).toBe('active');
    await passwordLogin(app, client, user).expect(200);
  });

  /** One password check, in a dialect: what a guess sends and how its answer reads. */
  interface CheckedEndpoint {
    /** Signs `user` in where the check needs a session (before compares are counted); one guess. */
    open(client: TestApplication, user: TestUser): Promise<(password: string) => request.Test>;
    /** The answer in short: 'accepted', else the dialect's status and code. */
    outcome(res: request.Response): string;
    /** What a refused guess may answer: the wrong password, or the lock an earlier guess set. */
    refusals: string[];
  }

  const huaweiOutcome = (res: request.Response) =>
    `${res.status} ${String((res.body as { error?: { message?: string } }).error?.message)}`;
  const sdkOutcome = (res: request.Response) =>
    res.status === 200 ? 'accepted' : `${res.status} ${String(res.body.error_code)}`;
  const signIns: Array<[string, CheckedEndpoint]> = [
    [
      'Huawei POST /v3/auth/tokens',
      {
        open: async (_client, user) => (password) => dialects.huaweiSignIn(user.username, password),
        outcome: (res) => (res.status === 201 ? 'accepted' : huaweiOutcome(res)),
        refusals: ['401 The request you have made requires authentication.'],
      },
    ],
    [
      'IDaaS POST /api/v2/sdk/login',
      {
        open: async (client, user) => (password) =>
          dialects.sdkLogin(client.client_id, user.username, password),
        outcome: sdkOutcome,
        refusals: ['400 IDAAS.SDK.LOGIN.0001'],
      },
    ],
  ];
  const changes: Array<[string, CheckedEndpoint]> = [
    [
      'Tencent POST /change_user_password',
      {
        open: async (client, user) => {
          const token = (await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200))
            .body.access_token as string;
          return (password) => dialects.tencentChange(token, password, 'Changed-Passw0rd-1');
        },
        outcome: (res) => (res.status === 200 ? 'accepted' : `${res.status} ${res.body.error}`),
        refusals: ['400 wrong_old_password', '400 abnormal_user_status'],
      },
    ],
    [
      'Huawei POST /v3/users/{id}/password',
      {
        open: async (_client, user) => {
          const token = (await dialects.huaweiSignIn(user.username, user.password).expect(201))
            .headers['x-subject-token'];
          return (password) =>
            dialects.huaweiChange(token, user.user_id, password, 'Changed-Passw0rd-1');
        },
        outcome: (res) => (res.status === 204 ? 'accepted' : huaweiOutcome(res)),
        refusals: ['401 The original password is incorrect.', '403 The account is locked.'],
      },
    ],
    [
      'IDaaS POST /api/v2/sdk/pwd/change',
      {
        open: async (client, user) => {
          const idToken = await sdkIdToken(app, client.client_id, {
            user_name: user.username,
            password: user.password,
          });
          return (password) =>
            dialects.sdkChange(client.client_id, idToken, password, 'Changed-Passw0rd-1');
        },
        outcome: sdkOutcome,
        refusals: ['400 IDAAS.SDK.PWD.0008', '400 IDAAS.SDK.USER.0003'],
      },
    ],
  ];

  describe.each([...signIns, ...changes])('%s', (_name, endpoint) => {
    it('should compare at most the threshold in a burst, right password last', async () => {
      const client = await lockoutClient();
      const user = await createUser(app, admin);
      const guess = await endpoint.open(client, user);
      const compares = await countRealCompares(user);
      const outcomes = (
        await Promise.all(
          Array.from({ length: BURST }, (_, i) =>
            guess(i === BURST - 1 ? user.password : `Wrong-Passw0rd-${i}`),
          ),
        )
      ).map((res) => endpoint.outcome(res));
      expect(compares()).toBeLessThanOrEqual(THRESHOLD);
      expect(outcomes.filter((outcome) => outcome === 'accepted').length).toBeLessThanOrEqual(1);
      expect(outcomes.filter((o) => o !== 'accepted' && !endpoint.refusals.includes(o))).toEqual(
        [],
      );
    });

    it('should refuse the right password after a burst of wrong ones, and lock the user', async () => {
      const client = await lockoutClient();
      const user = await createUser(app, admin);
      const guess = await endpoint.open(client, user);
      const compares = await countRealCompares(user);
      await Promise.all(Array.from({ length: BURST - 1 }, (_, i) => guess(`Wrong-Passw0rd-${i}`)));
      expect(compares()).toBeLessThanOrEqual(THRESHOLD);
      const comparedInBurst = compares();
      expect(endpoint.refusals).toContain(endpoint.outcome(await guess(user.password)));
      expect(compares()).toBe(comparedInBurst);
      const shown = await http()
        .get(`/admin/users/${user.user_id}`)
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(shown.body.status).toBe('locked');
    });
  });

  it('should let the right password in after fewer failures than the threshold, and reset the count', async () => {
    const client = await lockoutClient();
    const user = await createUser(app, admin);
    for (let i = 0; i < THRESHOLD - 1; i++)
      await passwordLogin(app, client, {
        username: user.username,
        password: `Wrong-${i}-Passw0rd`,
      }).expect(400);
    await passwordLogin(app, client, user).expect(200);
    for (let i = 0; i < THRESHOLD - 1; i++)
      await passwordLogin(app, client, {
        username: user.username,
        password: `Again-${i}-Passw0rd`,
      }).expect(400);
    await passwordLogin(app, client, user).expect(200);
  });
});

describe(`${PasswordVerifier.name}: sign-ins shed for load`, () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await createTestApp({ BCRYPT_CONCURRENCY: '1', BCRYPT_MAX_QUEUE: '0' });
  });
  afterAll(() => app.close());

  it("should not spend the user's lockout attempts on sign-ins refused with 503", async () => {
    const admin = await adminToken(app);
    const client = await createApplication(app, admin);
    await request(app.getHttpServer())
      .put(`/admin/applications/${client.client_id}/password-policy`)
      .auth(admin, { type: 'bearer' })
      .send({ lockout_threshold: THRESHOLD, lockout_window_seconds: 900 })
      .expect(200);
    const user = await createUser(app, admin);
    // Hold the only bcrypt slot, with no queue: every compare asked for now is refused.
    let release = (): void => undefined;
    const hasher: unknown = app.get(PasswordHasher);
    const { limiter } = hasher as { limiter: ConcurrencyLimiter };
    const held = limiter.run(
      () =>
        new Promise((resolve) => {
          release = () => resolve(undefined);
        }),
    );
    for (let i = 0; i < 2 * THRESHOLD; i++) {
      const res = await passwordLogin(app, client, user).expect(503);
      expect(res.headers['retry-after']).toBeDefined();
    }
    // Shed before routing and client authentication: a wrong client secret gets the same 503,
    // in the native shape, while grants that run no compare are served.
    const shed = await passwordLogin(app, { ...client, client_secret: 'not-the-secret' }, user);
    expect({ status: shed.status, body: shed.body }).toEqual({
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: expect.any(String) },
    });
    await request(app.getHttpServer())
      .post('/oauth2/token')
      .auth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'admin' })
      .expect(200);
    // The dialects' sign-ins are shed before their body is read, each in its own shape.
    const huawei = await request(app.getHttpServer()).post('/v3/auth/tokens').send({});
    expect({ status: huawei.status, code: huawei.body.error?.code }).toEqual({
      status: 503,
      code: 503,
    });
    const idaas = await request(app.getHttpServer()).post('/api/v2/sdk/login').send({});
    expect(idaas.status).toBe(503);
    expect(idaas.body.error_code).toMatch(/^IDAAS\./);
    release();
    await held;
    await passwordLogin(app, client, user).expect(200);
  });
});
