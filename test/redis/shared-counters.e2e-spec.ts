import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/hashing/password-hasher.service';
import { User } from '../../src/users/user.entity';
import { sdkHeaders } from '../idaas/sdk/idaas-sdk-test-app';
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
import { describeWithRedis, eventually, TestRedisServer } from '../utils/redis-server';

const THRESHOLD = 5;
const BURST = 30;

/**
 * Two replicas (two apps on one database) and one Redis: the lockout counter and the OTP send
 * throttle are shared through Redis; while Redis is down, sign-in and code sends answer 503 in
 * each dialect's shape and nothing is evaluated; once it is back, everything works again.
 */
describeWithRedis('Redis shared counters across replicas', () => {
  let redis: TestRedisServer;
  let inspector: Redis;
  let dataDir: string | undefined;
  let replicas: [NestExpressApplication, NestExpressApplication];
  let admin: string;
  let client: TestApplication;
  const [http, httpB] = [0, 1].map((i) => () => request(replicas[i].getHttpServer()));

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    inspector = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    // One database for both replicas: CI's MariaDB, else one SQLite file.
    let databaseUrl = process.env.DATABASE_URL ?? '';
    if (!databaseUrl.startsWith('mysql')) {
      dataDir = mkdtempSync(join(tmpdir(), 'tessera-redis-'));
      databaseUrl = `sqlite:${join(dataDir, 'tessera.db')}`;
    }
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
    replicas = [await createTestApp(env), await createTestApp(env)];
    admin = await adminToken(replicas[0]);
    client = await createApplication(replicas[0], admin);
    await http()
      .put(`/admin/applications/${client.client_id}/password-policy`)
      .auth(admin, { type: 'bearer' })
      .send({
        lockout_threshold: THRESHOLD,
        lockout_window_seconds: 900,
        lockout_duration_seconds: 900,
      })
      .expect(200);
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((app) => app.close()));
    inspector?.disconnect();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => jest.restoreAllMocks());

  /** Counts the compares against `user`'s real hash, on both replicas. */
  async function countRealCompares(user: TestUser): Promise<() => number> {
    const stored = await replicas[0]
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ id: user.user_id });
    const spies = replicas.map((app) => jest.spyOn(app.get(PasswordHasher), 'verify'));
    return () =>
      spies.flatMap((spy) => spy.mock.calls).filter(([, hash]) => hash === stored.passwordHash)
        .length;
  }

  it('should compare at most the threshold in a burst split across both replicas', async () => {
    const user = await createUser(replicas[0], admin);
    const compares = await countRealCompares(user);
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        passwordLogin(replicas[i % 2], client, {
          username: user.username,
          password: i === BURST - 1 ? user.password : `Wrong-Passw0rd-${i}`,
        }),
      ),
    );
    expect(compares()).toBeLessThanOrEqual(THRESHOLD);
    expect(results.filter((res) => res.status !== 200 && res.status !== 400)).toEqual([]);
    // Redis counted the attempts, not the row; the lock is in the row, where admins see it.
    expect(await inspector.get(`tessera:lockout:${user.user_id}`)).toBe(String(THRESHOLD));
    const row = await replicas[1]
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ id: user.user_id });
    expect(row.failedLoginCount).toBe(0);
    const shown = await httpB()
      .get(`/admin/users/${user.user_id}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(shown.body.status).toBe('locked');
  });

  it('should let the right password in on the other replica once an administrator unlocks', async () => {
    const user = await createUser(replicas[0], admin);
    for (let i = 0; i < THRESHOLD; i += 1) {
      await passwordLogin(replicas[i % 2], client, {
        username: user.username,
        password: `Wrong-Passw0rd-${i}`,
      }).expect(400);
    }
    await passwordLogin(replicas[1], client, user).expect(400);
    await http()
      .patch(`/admin/users/${user.user_id}`)
      .auth(admin, { type: 'bearer' })
      .send({ status: 'active' })
      .expect(200);
    expect(await inspector.get(`tessera:lockout:${user.user_id}`)).toBeNull();
    await passwordLogin(replicas[1], client, user).expect(200);
  });

  it('should share the OTP send throttle across replicas', async () => {
    const user = await createUser(replicas[0], admin);
    const send = (i: 0 | 1) =>
      request(replicas[i].getHttpServer())
        .post('/otp/send')
        .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
        .send({ email: user.email, usage: 'reset_password' });
    await send(0).expect(200);
    const refused = await send(1).expect(429);
    expect(refused.body).toMatchObject({ error: 'too_many_requests' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await inspector.keys('tessera:otp-send:*')).length).toBeGreaterThan(0);
  });

  it('should answer 503 with Retry-After in every dialect while Redis is down, evaluate nothing, and recover', async () => {
    const user = await createUser(replicas[0], admin);
    const compares = await countRealCompares(user);
    await redis.stop();
    try {
      await eventually(
        async () => (await http().get('/health/ready')).status === 503,
        'readiness to report Redis down',
      );
      const ready = await http().get('/health/ready').expect(503);
      expect(JSON.stringify(ready.body)).not.toContain('127.0.0.1');

      const native = await passwordLogin(replicas[0], client, user).expect(503);
      expect(native.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The service is busy; retry later.',
      });
      expect(native.headers['retry-after']).toBe('5');
      // An unknown user gets the same answer: the outage reveals no account.
      const unknown = await passwordLogin(replicas[1], client, {
        username: `nobody-${user.username}`,
        password: 'Wrong-Passw0rd-0',
      }).expect(503);
      expect(unknown.body).toEqual(native.body);

      const huawei = await httpB()
        .post('/v3/auth/tokens')
        .send({
          auth: {
            identity: {
              methods: ['password'],
              password: {
                user: { name: user.username, password: user.password, domain: { name: 'acme' } },
              },
            },
          },
        })
        .expect(503);
      expect(huawei.body).toEqual({
        error: {
          code: 503,
          title: 'Service Unavailable',
          message: 'The service is temporarily unavailable; retry later.',
        },
      });
      expect(huawei.headers['retry-after']).toBe('5');

      const sdk = await http()
        .post('/api/v2/sdk/login')
        .set(sdkHeaders(client.client_id))
        .send({ user_name: user.username, password: user.password })
        .expect(503);
      expect(sdk.body).toEqual({
        error_code: 'IDAAS.COMMON.0503',
        error_msg: 'Service is busy, please try again later',
      });
      expect(sdk.headers['retry-after']).toBe('5');

      const send = await httpB()
        .post('/otp/send')
        .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
        .send({ email: user.email, usage: 'reset_password' })
        .expect(503);
      expect(send.body).toEqual({ error: 'temporarily_unavailable' });
      expect(send.headers['retry-after']).toBe('5');

      expect(compares()).toBe(0);
    } finally {
      await redis.start();
    }
    await eventually(
      async () => (await http().get('/health/ready')).status === 200,
      'readiness to recover',
    );
    await eventually(
      async () => (await httpB().get('/health/ready')).status === 200,
      'the other replica to recover',
    );
    const ready = await http().get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'up' },
    });
    await passwordLogin(replicas[1], client, user).expect(200);
    await passwordLogin(replicas[0], client, user).expect(200);
  });
});
