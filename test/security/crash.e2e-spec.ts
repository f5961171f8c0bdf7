import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { DataSource } from 'typeorm';
import { basicAuth } from '../utils/auth-helpers';
import { TEST_ADMIN } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';
import { type SpawnedService, startService } from './support/spawned-service';

/** Each start of `src/main.ts` through ts-node takes a few seconds; two starts and the loop fit. */
const START_TIMEOUT_MS = 20_000;
/** The loop is killed this long after its third confirmed change, at a random point within. */
const KILL_WITHIN_MS = 600;
const LOOP_LIMIT = 400;

/**
 * kill -9 in the middle of a loop of password changes, then a restart on the same database. A
 * password write (user row, history row, session revocation) is one transaction, so afterwards
 * exactly one of "the last confirmed password" and "the one in flight" works, the newest history
 * row is that password, no row points at nothing, and the service starts cleanly. On SQLite the
 * database is a file in a temporary directory; when the suite runs on MariaDB it is that database.
 */
describe('kill -9 during a change loop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-crash-'));
  const mysqlUrl = process.env.DATABASE_URL?.startsWith('mysql:')
    ? process.env.DATABASE_URL
    : undefined;
  const databaseUrl = mysqlUrl ?? `sqlite:${join(dir, 'tessera.db')}`;
  // No SECRET_KEY, as `npm start` without set-up: the service keeps a generated one beside the
  // SQLite file (or under ./data for MySQL, where the in-process suites keep theirs too).
  const env = {
    DATABASE_URL: databaseUrl,
    BCRYPT_COST: '4',
    ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
    ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
  };
  let service: SpawnedService | undefined;

  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(
    base: string,
    method: string,
    path: string,
    init: { token?: string; basic?: string; json?: unknown; form?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = {};
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    if (init.basic) headers.Authorization = init.basic;
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const adminToken = async (base: string) =>
    (
      await call(base, 'POST', '/oauth2/token', {
        basic: basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret),
        form: { grant_type: 'client_credentials', scope: 'admin' },
      })
    ).body.access_token as string;

  it('should keep exactly one of the last confirmed and the in-flight password, with consistent history', async () => {
    const started = Date.now();
    service = await startService(env, START_TIMEOUT_MS);
    const first = service;
    let admin = await adminToken(first.url);
    const web = (
      await call(first.url, 'POST', '/admin/applications', {
        token: admin,
        json: { name: uniqueName('crash'), type: 'web', scopes: ['openid'] },
      })
    ).body as { client_id: string; client_secret: string };
    const username = uniqueName('crash');
    const initial = 'Crash-Initial-Passw0rd';
    const created = await call(first.url, 'POST', '/admin/users', {
      token: admin,
      json: { username, password: initial },
    });
    expect(created.status).toBe(201);
    const userId = created.body.user_id as string;

    let confirmed = initial;
    let inFlight: string | undefined;
    let changes = 0;
    let killAt: ReturnType<typeof setTimeout> | undefined;
    for (let i = 1; i <= LOOP_LIMIT; i += 1) {
      const password = `Crash-Loop-Passw0rd-${i}`;
      inFlight = password;
      const res = await call(first.url, 'PUT', `/admin/users/${userId}/password`, {
        token: admin,
        json: { password, must_change_password: false },
      }).catch(() => undefined);
      if (!res) break;
      expect(res.status).toBe(204);
      confirmed = password;
      inFlight = undefined;
      changes += 1;
      if (changes === 3)
        killAt = setTimeout(() => first.child.kill('SIGKILL'), Math.random() * KILL_WITHIN_MS);
    }
    clearTimeout(killAt);
    if (first.child.exitCode === null && first.child.signalCode === null)
      first.child.kill('SIGKILL');
    await expect(first.exited).resolves.toBe('SIGKILL');
    expect(changes).toBeGreaterThanOrEqual(3);

    service = await startService(env, START_TIMEOUT_MS);
    const second = service;
    admin = await adminToken(second.url);
    const signIn = async (password: string) =>
      (
        await call(second.url, 'POST', '/oauth2/token', {
          basic: basicAuth(web.client_id, web.client_secret),
          form: { grant_type: 'password', username, password, scope: 'openid' },
        })
      ).status === 200;
    const confirmedWorks = await signIn(confirmed);
    const inFlightWorks = inFlight === undefined ? false : await signIn(inFlight);
    expect({ confirmedWorks, inFlightWorks, inFlight: inFlight !== undefined }).toEqual(
      expect.objectContaining({ confirmedWorks: !inFlightWorks }),
    );
    const current = inFlightWorks ? inFlight! : confirmed;

    const history = await call(second.url, 'GET', `/admin/users/${userId}/password-history`, {
      token: admin,
    });
    expect(history.status).toBe(200);

    // Straight from the database: the newest history row is the current password, and nothing
    // dangles.
    const db = new DataSource(
      mysqlUrl
        ? { type: 'mysql', url: mysqlUrl }
        : { type: 'better-sqlite3', database: join(dir, 'tessera.db') },
    );
    await db.initialize();
    try {
      const [user] = await db.query<Array<{ password_hash: string }>>(
        'SELECT password_hash FROM users WHERE id = ?',
        [userId],
      );
      const rows = await db.query<Array<{ password_hash: string; reason: string }>>(
        'SELECT password_hash, reason FROM password_history WHERE user_id = ? ORDER BY id DESC',
        [userId],
      );
      expect(user).toBeDefined();
      await expect(bcrypt.compare(current, user.password_hash)).resolves.toBe(true);
      expect(rows[0]?.password_hash).toBe(user.password_hash);
      expect(rows.filter((row) => row.password_hash === user.password_hash)).toHaveLength(1);
      expect(rows.map((row) => row.reason)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^(initial|admin)$/)]),
      );
      const [orphans] = await db.query<Array<{ n: unknown }>>(
        'SELECT COUNT(*) AS n FROM password_history h LEFT JOIN users u ON u.id = h.user_id WHERE u.id IS NULL',
      );
      expect(Number(orphans.n)).toBe(0);
    } finally {
      await db.destroy();
    }
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});
