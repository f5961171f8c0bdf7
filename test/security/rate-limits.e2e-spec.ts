import type { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import request from 'supertest';
import { RateLimitGuard } from '../../src/rate-limit/rate-limit.guard';
import { sdkHeaders, sdkIdToken } from '../idaas/sdk/idaas-sdk-test-app';
import {
  adminToken,
  basicAuth,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { describeWithRedis, TestRedisServer } from '../utils/redis-server';
import { uniqueName } from '../utils/unique';

const ACCOUNT_LIMIT = 2;
const WINDOW_SECONDS = 60;

/** The 429 of each dialect (API.md §3: Tencent's OAuth-style codes, Keystone, IDaaS). */
const NATIVE_429 = {
  error: 'too_many_requests',
  error_description: 'Too many requests; retry later.',
};
const TENCENT_429 = NATIVE_429;
const HUAWEI_429 = {
  error: { code: 429, title: 'Too Many Requests', message: 'Too many requests; retry later.' },
};
const IDAAS_429 = {
  error_code: 'IDAAS.COMMON.0429',
  error_msg: 'Too many requests, please try again later',
};

function expectRateLimited(res: request.Response, body: object): void {
  expect({ status: res.status, body: res.body as unknown }).toEqual({ status: 429, body });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
}

/** Sends `limit` requests that must pass the limiter (any answer but 429), then one that must not. */
async function exhaust(send: () => request.Test, limit = ACCOUNT_LIMIT): Promise<request.Response> {
  for (let i = 0; i < limit; i += 1) {
    const res = await send();
    expect(res.status).not.toBe(429);
    expect(res.status).toBeLessThan(500);
  }
  return send();
}

function rateLimitSuite(storage: 'memory' | 'redis'): void {
  let redis: TestRedisServer | undefined;
  let app: NestExpressApplication;
  let admin: string;
  let client: TestApplication;
  const http = () => request(app.getHttpServer());
  const redisEnv = (): Record<string, string> => (redis ? { REDIS_URL: redis.url } : {});

  beforeAll(async () => {
    if (storage === 'redis') redis = await TestRedisServer.start();
    app = await createTestApp({
      ...redisEnv(),
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      RATE_LIMIT_ACCOUNT: String(ACCOUNT_LIMIT),
      RATE_LIMIT_IP: '1000',
    });
    admin = await adminToken(app);
    client = await createApplication(app, admin);
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  const newUser = (): Promise<TestUser> =>
    createUser(app, admin, { phone_number: `+86138${String(Date.now() % 1e8).padStart(8, '0')}` });

  it('should limit sign-ins per account however the account is spelled, leaving other accounts alone', async () => {
    const user = await newUser();
    const wrong = (username: string) =>
      passwordLogin(app, client, { username, password: 'Wrong-Passw0rd-1' });
    await wrong(user.username.toUpperCase()).expect(400);
    await wrong(` ${user.username} `).expect(400);
    expectRateLimited(await wrong(user.username), NATIVE_429);
    // The right password is not even tried: the limit comes first.
    expectRateLimited(await passwordLogin(app, client, user), NATIVE_429);
    const other = await newUser();
    await passwordLogin(app, client, other).expect(200);
  });

  it('should count one window per account over every dialect, answering in each one’s shape', async () => {
    const user = await newUser();
    await passwordLogin(app, client, { username: user.username, password: 'Wrong-1' }).expect(400);
    await http()
      .post('/api/v2/sdk/login')
      .set(sdkHeaders(client.client_id))
      .send({ user_name: user.username, password: 'Wrong-2' })
      .expect(400);
    const huawei = await http()
      .post('/v3/auth/tokens')
      .send({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: user.username, password: user.password } },
          },
        },
      });
    expectRateLimited(huawei, HUAWEI_429);
  });

  it('should not let a machine client’s grants use up or hit the sign-in limits', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT + 2; i += 1) await adminToken(app);
  });

  describe('every limited route', () => {
    const tencent = (path: string, body: object) =>
      http()
        .post(path)
        .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
        .send(body);
    const sdk = (path: string, body: object, idToken?: string) => {
      const req = http().post(`/api/v2/sdk/${path}`).set(sdkHeaders(client.client_id));
      return (idToken ? req.set('Authorization', `Bearer ${idToken}`) : req).send(body);
    };
    const tokenOf = async (user: TestUser) =>
      (await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200)).body
        .access_token as string;
    const huaweiTokenOf = async (user: TestUser) =>
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

    const routes: Array<[string, object, (user: TestUser) => Promise<() => request.Test>]> = [
      [
        'native POST /oauth2/token (password)',
        NATIVE_429,
        async (user) => () =>
          passwordLogin(app, client, { username: user.username, password: 'Wrong-Passw0rd' }),
      ],
      [
        'native POST /oauth2/token (Tencent one-time code)',
        NATIVE_429,
        async (user) => () =>
          http().post('/oauth2/token').send({
            grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email',
            client_id: client.client_id,
            client_secret: client.client_secret,
            email: user.email,
            otp_token: 'no-such-token',
            otp: '000000',
          }),
      ],
      [
        'Tencent POST /change_user_password',
        TENCENT_429,
        async (user) => {
          const token = await tokenOf(user);
          return () =>
            http()
              .post('/change_user_password')
              .auth(token, { type: 'bearer' })
              .send({ old_password: 'Wrong-Passw0rd', new_password: 'New-Passw0rd-1' });
        },
      ],
      [
        'Tencent POST /reset_user_password',
        TENCENT_429,
        async (user) => () =>
          tencent('/reset_user_password', {
            email: user.email,
            email_otp_token: 'no-such-token',
            email_otp: '000000',
            password: 'New-Passw0rd-1',
          }),
      ],
      [
        'Tencent POST /otp/send',
        TENCENT_429,
        async (user) => {
          const usages = ['login', 'reset_password', 'update_userinfo'];
          return () => tencent('/otp/send', { email: user.email, usage: usages.shift() });
        },
      ],
      [
        'Huawei POST /v3/auth/tokens',
        HUAWEI_429,
        async (user) => () =>
          http()
            .post('/v3/auth/tokens')
            .send({
              auth: {
                identity: {
                  methods: ['password'],
                  password: { user: { id: user.user_id, password: 'Wrong-Passw0rd' } },
                },
              },
            }),
      ],
      [
        'Huawei POST /v3/users/{user_id}/password',
        HUAWEI_429,
        async (user) => {
          const token = await huaweiTokenOf(user);
          return () =>
            http()
              .post(`/v3/users/${user.user_id}/password`)
              .set('X-Auth-Token', token)
              .send({ user: { original_password: 'Wrong-Passw0rd', password: 'New-Passw0rd-1' } });
        },
      ],
      [
        'IDaaS tenant PUT /api/v2/tenant/users/{user_id}/change-password',
        IDAAS_429,
        async (user) => () =>
          http()
            .put(`/api/v2/tenant/users/${user.user_id}/change-password`)
            .auth(admin, { type: 'bearer' })
            .send({ password: 'x' }),
      ],
      [
        'IDaaS SDK POST /api/v2/sdk/login',
        IDAAS_429,
        async (user) => () => sdk('login', { user_name: user.email, password: 'Wrong-Passw0rd' }),
      ],
      [
        'IDaaS SDK POST /api/v2/sdk/pwd/change',
        IDAAS_429,
        async (user) => {
          const idToken = await sdkIdToken(app, client.client_id, {
            user_name: user.username,
            password: user.password,
          });
          return () =>
            sdk('pwd/change', { old_password: 'Wrong-Passw0rd', new_password: 'x' }, idToken);
        },
      ],
      [
        'IDaaS SDK POST /api/v2/sdk/sms/send',
        IDAAS_429,
        async (user) => {
          const types = ['FORGET_PWD_SMS', 'UPDATE_PWD_SMS', 'FORGET_PWD_SMS'];
          return () => sdk('sms/send', { mobile: user.phone_number, type: types.shift() });
        },
      ],
      [
        'IDaaS SDK POST /api/v2/sdk/email/send',
        IDAAS_429,
        async (user) => {
          const types = ['FORGET_PWD_EMS', 'UPDATE_PWD_EMS', 'FORGET_PWD_EMS'];
          return () => sdk('email/send', { email: user.email, type: types.shift() });
        },
      ],
      [
        'IDaaS SDK POST /api/v2/sdk/pwd/update-by-mobile',
        IDAAS_429,
        async (user) => () =>
          sdk('pwd/update-by-mobile', {
            mobile: user.phone_number,
            verify_code: '000000',
            password: 'New-Passw0rd-1',
          }),
      ],
      [
        'IDaaS SDK POST /api/v2/sdk/pwd/update-by-email',
        IDAAS_429,
        async (user) => () =>
          sdk('pwd/update-by-email', {
            email: user.email,
            verify_code: '000000',
            password: 'New-Passw0rd-1',
          }),
      ],
    ];

    it.each(routes)('should limit %s per account', async (_route, shape, prepare) => {
      const send = await prepare(await newUser());
      expectRateLimited(await exhaust(send), shape);
    });
  });

  describe('per client IP', () => {
    const signIn = (
      target: NestExpressApplication,
      targetClient: TestApplication,
      forwardedFor: string,
      username = '',
    ) =>
      passwordLogin(target, targetClient, { username, password: 'Wrong-Passw0rd' }).set(
        'X-Forwarded-For',
        forwardedFor,
      );

    /**
     * An app limited to 3 requests per IP, started when its tests start and closed after them
     * (one fresh in-memory app at a time); Redis is emptied first, since this process's other
     * apps counted the same loopback address there.
     */
    function ipLimitedApp(env: Record<string, string>) {
      const state: { app?: NestExpressApplication; client?: TestApplication } = {};
      beforeAll(async () => {
        if (redis) {
          const flusher = new Redis(redis.url);
          await flusher.flushall();
          flusher.disconnect();
        }
        state.app = await createTestApp({
          ...redisEnv(),
          RATE_LIMIT_IP: '3',
          RATE_LIMIT_ACCOUNT: '0',
          ...env,
        });
        state.client = await clientOf(state.app);
      });
      afterAll(() => state.app?.close());
      return () => [state.app!, state.client!] as const;
    }

    describe('behind a trusted proxy', () => {
      // Behind a proxy on loopback, request.ip is the X-Forwarded-For client.
      const target = ipLimitedApp({ TRUST_PROXY: 'loopback' });

      it('should limit one client IP over any accounts, and count requests that name none', async () => {
        const [limited, limitedClient] = target();
        const ip = '203.0.113.7';
        await signIn(limited, limitedClient, ip, uniqueName('a')).expect(400);
        await signIn(limited, limitedClient, ip, uniqueName('b')).expect(400);
        await signIn(limited, limitedClient, ip).expect(400);
        expectRateLimited(await signIn(limited, limitedClient, ip, uniqueName('c')), NATIVE_429);
        // Another client behind the same proxy has its own window.
        await signIn(limited, limitedClient, '198.51.100.20', uniqueName('d')).expect(400);
      });
    });

    describe('without TRUST_PROXY', () => {
      const target = ipLimitedApp({});

      it('should ignore X-Forwarded-For, so a client cannot pick its address', async () => {
        const [direct, directClient] = target();
        const statuses: number[] = [];
        for (let i = 0; i < 4; i += 1) {
          const res = await signIn(direct, directClient, `198.51.100.${i}`, uniqueName('u'));
          statuses.push(res.status);
        }
        expect(statuses).toEqual([400, 400, 400, 429]);
      });
    });
  });
}

/** An application created through `target`'s admin API. */
async function clientOf(target: NestExpressApplication): Promise<TestApplication> {
  return createApplication(target, await adminToken(target));
}

describe(`${RateLimitGuard.name} with memory storage`, () => {
  rateLimitSuite('memory');
});

describeWithRedis(`${RateLimitGuard.name} with Redis storage`, () => {
  rateLimitSuite('redis');

  describe('shared by replicas, and during an outage', () => {
    let redis: TestRedisServer;
    let replicas: NestExpressApplication[];

    beforeAll(async () => {
      redis = await TestRedisServer.start();
      const env = {
        REDIS_URL: redis.url,
        RATE_LIMIT_ACCOUNT: String(ACCOUNT_LIMIT),
        RATE_LIMIT_IP: '1000',
      };
      // Each app has its own in-memory database: only Redis is shared.
      replicas = [await createTestApp(env), await createTestApp(env)];
    });
    afterAll(async () => {
      await Promise.all((replicas ?? []).map((app) => app.close()));
      await redis?.stop();
    });

    const signIn = (i: number, username: string) =>
      request(replicas[i].getHttpServer())
        .post('/v3/auth/tokens')
        .send({
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name: username, password: 'x' } },
            },
          },
        });

    it('should count an account once over both replicas', async () => {
      const username = uniqueName('shared');
      await signIn(0, username).expect(401);
      await signIn(1, username).expect(401);
      expectRateLimited(await signIn(0, username), HUAWEI_429);
    });

    it('should fall back to per-process limits while Redis is down', async () => {
      const username = uniqueName('outage');
      await redis.stop();
      try {
        // The lockout fails closed (503); the limiter still counts, in this process's memory.
        for (let i = 0; i < ACCOUNT_LIMIT; i += 1) await signIn(0, username).expect(503);
        expectRateLimited(await signIn(0, username), HUAWEI_429);
      } finally {
        await redis.start();
      }
    });
  });
});
