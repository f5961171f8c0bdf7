import type { DataSource } from 'typeorm';
import { DatabaseStartupError, initializeAtStartup } from './startup-connection';

const URL_WITH_PASSWORD = 'mysql://tessera:S3cret-Pw@127.0.0.1:1/tessera';

function refusingThen(failures: number, error: Error & { code?: string }) {
  let calls = 0;
  const ok = { initialize: async () => ok } as unknown as DataSource;
  const create = (): DataSource =>
    ({
      initialize: async () => {
        calls += 1;
        if (calls <= failures) throw error;
        return ok;
      },
    }) as unknown as DataSource;
  return { create, ok, calls: () => calls };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1 as S3cret-Pw'), {
  code: 'ECONNREFUSED',
});

describe(initializeAtStartup.name, () => {
  it('should log every failure at once with the password masked, back off, and connect when the database comes', async () => {
    const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
    const pauses: number[] = [];
    const db = refusingThen(3, refused);
    await expect(
      initializeAtStartup(db.create, {
        databaseUrl: URL_WITH_PASSWORD,
        timeoutMs: 60_000,
        logger: {
          warn: (fields: Record<string, unknown>, message: string) =>
            warnings.push({ fields, message }),
        },
        sleep: async (ms) => void pauses.push(ms),
      }),
    ).resolves.toBe(db.ok);
    expect(db.calls()).toBe(4);
    expect(pauses).toEqual([250, 500, 1000]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0].fields).toMatchObject({ code: 'ECONNREFUSED', attempt: 1 });
    expect(warnings[0].message).toContain('DATABASE_URL (mysql://tessera:***@127.0.0.1:1/tessera)');
    expect(JSON.stringify(warnings)).not.toContain('S3cret-Pw');
  });

  it('should give up after the budget with an error naming DATABASE_URL', async () => {
    const db = refusingThen(Infinity, refused);
    const error = (await initializeAtStartup(db.create, {
      databaseUrl: URL_WITH_PASSWORD,
      timeoutMs: 0,
      logger: { warn: () => undefined },
    }).catch((e: unknown) => e)) as DatabaseStartupError;
    expect(error).toBeInstanceOf(DatabaseStartupError);
    expect(error.driverCode).toBe('ECONNREFUSED');
    expect(error.message).toMatch(/^Could not connect to the database of DATABASE_URL/);
    expect(error.message).not.toContain('S3cret-Pw');
    expect(db.calls()).toBe(1);
  });

  it('should not retry SQLite, where trying again changes nothing', async () => {
    const db = refusingThen(Infinity, new Error('SQLITE_CANTOPEN'));
    await expect(
      initializeAtStartup(db.create, {
        databaseUrl: 'sqlite:/nonexistent/dir/tessera.db',
        timeoutMs: 60_000,
        logger: { warn: () => undefined },
      }),
    ).rejects.toThrow(/Could not open the database of DATABASE_URL/);
    expect(db.calls()).toBe(1);
  });
});
