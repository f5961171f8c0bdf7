import { performance } from 'node:perf_hooks';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PasswordVerifier } from '../../src/credentials/password-verifier.service';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';
import { dialectClients } from './support/dialect-clients';

/** Interleaved runs per case; the medians are compared. */
const RUNS = 15;
const TOLERANCE = 0.2;
/**
 * The suite's BCRYPT_COST of 4 makes a compare cost about a millisecond, less than the noise of a
 * request: a sign-in that skipped bcrypt would still fall within 20 %. At cost 10 a compare is
 * tens of milliseconds, so the check can fail when one case skips (or doubles) the hash.
 */
const BCRYPT_COST = '10';
/** Wrong passwords per user, below the default lockout threshold of five. */
const PER_USER = 3;

type Case = 'unknown user' | 'wrong password' | 'frozen user';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How far apart two medians are, relative to the slower one. */
const spread = (a: number, b: number): number => Math.abs(a - b) / Math.max(a, b);

/**
 * Sign-in endpoints must not tell an unknown user, a wrong password and a frozen user apart by
 * time (API.md §4, issue 10 finding 4): each costs one bcrypt compare. Runs are interleaved so
 * that drift (GC, JIT, a busy CI host) lands on every case alike.
 */
describe(`${PasswordVerifier.name}: timing of sign-in failures`, () => {
  let app: NestExpressApplication;
  let admin: string;
  let web: TestApplication;
  let dialects: ReturnType<typeof dialectClients>;

  beforeAll(async () => {
    app = await createTestApp({ BCRYPT_COST });
    admin = await adminToken(app);
    web = await createApplication(app, admin);
    dialects = dialectClients(app);
  });
  afterAll(() => app.close());

  async function users(count: number, frozen: boolean): Promise<TestUser[]> {
    const made: TestUser[] = [];
    for (let i = 0; i < count; i += 1) {
      const user = await createUser(app, admin);
      if (frozen)
        await request(app.getHttpServer())
          .patch(`/admin/users/${user.user_id}`)
          .auth(admin, { type: 'bearer' })
          .send({ status: 'frozen' })
          .expect(200);
      made.push(user);
    }
    return made;
  }

  /** Times `RUNS` sign-ins per case, rotating the order each round; returns the medians. */
  async function measure(
    signIn: (username: string, password: string) => request.Test,
    refused: (res: request.Response) => void,
  ): Promise<Record<Case, number>> {
    const perUser = Math.ceil(RUNS / PER_USER);
    const active = await users(perUser, false);
    const frozen = await users(perUser, true);
    const attempt: Record<Case, (i: number) => request.Test> = {
      'unknown user': () => signIn(uniqueName('ghost'), 'Wrong-Passw0rd-x'),
      'wrong password': (i) =>
        signIn(active[Math.floor(i / PER_USER)].username, `Wrong-Passw0rd-${i}`),
      // The right password: a frozen user must not learn that it was right.
      'frozen user': (i) => {
        const user = frozen[Math.floor(i / PER_USER)];
        return signIn(user.username, user.password);
      },
    };
    const cases = Object.keys(attempt) as Case[];
    // Warm-up: JIT, connection pool, bcrypt threads.
    for (const name of cases) refused(await attempt[name](0));
    const times: Record<Case, number[]> = {
      'unknown user': [],
      'wrong password': [],
      'frozen user': [],
    };
    for (let i = 0; i < RUNS; i += 1) {
      for (let k = 0; k < cases.length; k += 1) {
        const name = cases[(i + k) % cases.length];
        const started = performance.now();
        const res = await attempt[name](i);
        times[name].push(performance.now() - started);
        refused(res);
      }
    }
    return {
      'unknown user': median(times['unknown user']),
      'wrong password': median(times['wrong password']),
      'frozen user': median(times['frozen user']),
    };
  }

  /** Both comparisons within the tolerance; the medians are printed when not. */
  const expectAlike = (medians: Record<Case, number>) => {
    expect({
      medians,
      unknownVsWrong: spread(medians['unknown user'], medians['wrong password']) <= TOLERANCE,
      frozenVsWrong: spread(medians['frozen user'], medians['wrong password']) <= TOLERANCE,
    }).toEqual({ medians, unknownVsWrong: true, frozenVsWrong: true });
  };

  it('should answer the native password grant in the same time for all three', async () => {
    const medians = await measure(
      (username, password) => passwordLogin(app, web, { username, password }),
      (res) => expect(res.body.error).toBe('invalid_grant'),
    );
    expectAlike(medians);
  });

  it('should answer Huawei POST /v3/auth/tokens in the same time for all three', async () => {
    const medians = await measure(
      (username, password) => dialects.huaweiSignIn(username, password),
      (res) => expect(res.status).toBe(401),
    );
    expectAlike(medians);
  });
});
