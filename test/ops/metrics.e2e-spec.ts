import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
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

/** The value of one sample of the exposition text, by metric name and exact labels; 0 if absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (
      Object.keys(labels).length === Object.keys(present).length &&
      Object.entries(labels).every(([k, v]) => present[k] === v)
    ) {
      return Number(match[3]);
    }
  }
  return 0;
}

describe('metrics', () => {
  let app: NestExpressApplication;
  let web: TestApplication;
  let alice: TestUser;
  let bob: TestUser;
  const http = () => request(app.getHttpServer());
  const scrape = async (): Promise<string> => (await http().get('/metrics').expect(200)).text;

  beforeAll(async () => {
    app = await createTestApp();
    const admin = await adminToken(app);
    web = await createApplication(app, admin, { scopes: ['openid', 'email'] });
    alice = await createUser(app, admin);
    bob = await createUser(app, admin);
  });
  afterAll(async () => {
    await app.close();
  });

  it('should count sign-ins, password changes by dialect, lockouts and code sends, without user identifiers', async () => {
    const before = await scrape();
    const delta = (text: string, name: string, labels: Record<string, string>) =>
      sample(text, name, labels) - sample(before, name, labels);

    // A sign-in, then a change on the Tencent route with its token, then one with a wrong old password.
    const signedIn = await passwordLogin(app, web, { ...alice, scope: 'openid' }).expect(200);
    const token = signedIn.body.access_token as string;
    await http()
      .post('/change_user_password')
      .auth(token, { type: 'bearer' })
      .send({ old_password: alice.password, new_password: 'Changed-Passw0rd-9' })
      .expect(200);
    const fresh = await passwordLogin(app, web, {
      ...alice,
      scope: 'openid',
      password: 'Changed-Passw0rd-9',
    }).expect(200);
    await http()
      .post('/change_user_password')
      .auth(fresh.body.access_token as string, { type: 'bearer' })
      .send({ old_password: 'not-the-password', new_password: 'Another-Passw0rd-8' })
      .expect(400);
    // A failed sign-in, then bob's five wrong passwords: the lockout threshold of the default policy.
    await passwordLogin(app, web, {
      ...alice,
      scope: 'openid',
      password: 'Wrong-Passw0rd-1',
    }).expect(400);
    for (let i = 0; i < 5; i += 1) {
      await passwordLogin(app, web, {
        ...bob,
        scope: 'openid',
        password: `Wrong-Passw0rd-${i}`,
      }).expect(400);
    }
    await passwordLogin(app, web, { ...bob, scope: 'openid' }).expect(400);
    // A code sent on Tencent's route.
    await http()
      .post('/otp/send')
      .set('Authorization', basicAuth(web.client_id, web.client_secret!))
      .send({ email: alice.email, usage: 'reset_password' })
      .expect(200);

    const after = await scrape();
    const signIns = 'tessera_sign_ins_total';
    expect(
      delta(after, signIns, { dialect: 'native', method: 'password', outcome: 'success' }),
    ).toBe(2);
    expect(
      delta(after, signIns, {
        dialect: 'native',
        method: 'password',
        outcome: 'invalid_credentials',
      }),
    ).toBe(6);
    // Bob's right password after the lockout: refused as inactive, counted apart.
    expect(
      delta(after, signIns, { dialect: 'native', method: 'password', outcome: 'inactive' }),
    ).toBe(1);
    const operations = 'tessera_password_operations_total';
    expect(
      delta(after, operations, { dialect: 'tencent', operation: 'change', outcome: 'success' }),
    ).toBe(1);
    expect(
      delta(after, operations, {
        dialect: 'tencent',
        operation: 'change',
        outcome: 'wrong_password',
      }),
    ).toBe(1);
    expect(delta(after, 'tessera_lockouts_total', { dialect: 'native' })).toBe(1);
    expect(
      delta(after, 'tessera_otp_sends_total', {
        dialect: 'tencent',
        channel: 'email',
        usage: 'reset_password',
        outcome: 'sent',
      }),
    ).toBe(1);
    expect(
      delta(after, 'tessera_bcrypt_duration_seconds_count', { operation: 'compare' }),
    ).toBeGreaterThanOrEqual(9);
    expect(
      delta(after, 'tessera_bcrypt_duration_seconds_count', { operation: 'hash' }),
    ).toBeGreaterThanOrEqual(1);

    // Nothing that identifies a user, an application or a token.
    for (const secret of [
      alice.user_id,
      alice.username,
      alice.email!,
      bob.user_id,
      bob.username,
      web.client_id,
      token.slice(0, 24),
    ]) {
      expect(after).not.toContain(secret);
    }
  });

  it('should expose the bcrypt pool, event-loop lag, and the database pool on MySQL only', async () => {
    const text = await scrape();
    expect(text).toMatch(/^tessera_bcrypt_queue_depth 0$/m);
    expect(text).toMatch(/^tessera_bcrypt_running \d+$/m);
    expect(text).toMatch(/^tessera_nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^tessera_nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^# TYPE tessera_bcrypt_refused_total counter$/m);
    if (process.env.DATABASE_URL?.startsWith('mysql:')) {
      // mysql2's pool as configured (connection_limit, 10 by default) and its current state.
      expect(sample(text, 'tessera_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
      expect(text).toMatch(/^tessera_db_pool_connections\{state="in_use"\} \d+$/m);
      expect(text).toMatch(/^tessera_db_pool_waiting_requests \d+$/m);
    } else {
      expect(text).not.toMatch(/tessera_db_pool_/);
    }
  });

  it('should count one-time code checks and OTP sign-ins by outcome', async () => {
    const before = await scrape();
    await http()
      .post('/oauth2/token')
      .send({
        grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email',
        client_id: web.client_id,
        client_secret: web.client_secret,
        email: alice.email,
        otp_token: 'no-such-token',
        otp: '123456',
      })
      .expect(400);
    const after = await scrape();
    const labels = { dialect: 'native', outcome: 'otp_token_invalid' };
    expect(
      sample(after, 'tessera_otp_verifications_total', labels) -
        sample(before, 'tessera_otp_verifications_total', labels),
    ).toBe(1);
    const signIn = { dialect: 'native', method: 'otp', outcome: 'otp_token_invalid' };
    expect(
      sample(after, 'tessera_sign_ins_total', signIn) -
        sample(before, 'tessera_sign_ins_total', signIn),
    ).toBe(1);
  });
});
