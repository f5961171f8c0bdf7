import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordVerifier } from '../../src/credentials/password-verifier.service';
import type { ConcurrencyLimiter } from '../../src/hashing/concurrency-limiter';
import { PasswordHasher } from '../../src/hashing/password-hasher.service';
import { User } from '../../src/users/user.entity';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const THRESHOLD = 5;
const BURST = 30;

/**
 * Issue 10 finding 1 (Keycloak #9123): parallel guesses must not outrun the lockout. Each check
 * reserves an attempt before bcrypt runs, so a burst of any size compares at most `THRESHOLD`
 * passwords per window.
 */
describe(`${PasswordVerifier.name}: concurrent guesses against the lockout`, () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
  });
  afterAll(() => app.close());

  async function lockoutClient(): Promise<TestApplication> {
    const client = await createApplication(app, admin);
    await http()
      .put(`/admin/applications/${client.client_id}/password-policy`)
      .auth(admin, { type: 'bearer' })
      .send({
        lockout_threshold: THRESHOLD,
        lockout_window_seconds: 900,
        lockout_duration_seconds: 900,
      })
      .expect(200);
    return client;
  }

  /** Counts the bcrypt compares made against this user's real hash. */
  async function countRealCompares(user: TestUser): Promise<() => number> {
    const stored = await app
      .get(DataSource)
      .getRepository(User)
      .findOneByOrFail({ id: user.user_id });
    const verify = jest.spyOn(app.get(PasswordHasher), 'verify');
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
    await Promise.all(
      Array.from({ length: BURST - 1 }, (_, i) =>
        passwordLogin(app, client, { username: user.username, password: `Wrong-Passw0rd-${i}` }),
      ),
    );
    const compares = await countRealCompares(user);
    const res = await passwordLogin(app, client, user).expect(400);
    expect(res.body.error).toBe('invalid_grant');
    expect(compares()).toBe(0);
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

  it('should hold for the current password of a change too (Tencent)', async () => {
    const client = await lockoutClient();
    const user = await createUser(app, admin);
    const token = (await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200)).body
      .access_token as string;
    const compares = await countRealCompares(user);
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        http()
          .post('/change_user_password')
          .auth(token, { type: 'bearer' })
          .send({
            old_password: i === BURST - 1 ? user.password : `Wrong-Passw0rd-${i}`,
            new_password: `Changed-Passw0rd-${i}`,
          }),
      ),
    );
    expect(compares()).toBeLessThanOrEqual(THRESHOLD);
    const errors = results.map((res) => res.body.error as string | undefined);
    expect(errors.filter((e) => e === undefined).length).toBeLessThanOrEqual(1);
    expect(
      errors.every(
        (e) => e === undefined || e === 'wrong_old_password' || e === 'abnormal_user_status',
      ),
    ).toBe(true);
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
    release();
    await held;
    await passwordLogin(app, client, user).expect(200);
  });
});
