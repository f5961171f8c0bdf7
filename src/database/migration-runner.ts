import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import type { DataSource } from 'typeorm';

const MYSQL_LOCK_NAME = 'tessera_migrations';
const MYSQL_LOCK_TIMEOUT_SECONDS = 120;

/**
 * Runs pending migrations under a database-wide lock, so replicas starting together on one empty
 * database migrate exactly once: the first takes the lock, the others wait, then find nothing to
 * do. MySQL/MariaDB: `GET_LOCK`. SQLite: an exclusive lock file beside the database (TypeORM's
 * "create the migrations table" step races between connections otherwise); an in-memory database
 * has a single connection.
 */
export async function runMigrationsWithLock(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type !== 'mysql') {
    const file = String(dataSource.options.database);
    const run = async () =>
      (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    return file === ':memory:' ? run() : withLockFile(`${file}.migrations.lock`, run);
  }
  const lockHolder = dataSource.createQueryRunner();
  try {
    await lockHolder.connect();
    const rows = (await lockHolder.query('SELECT GET_LOCK(?, ?) AS acquired', [
      MYSQL_LOCK_NAME,
      MYSQL_LOCK_TIMEOUT_SECONDS,
    ])) as Array<{ acquired: number | string | null }>;
    if (Number(rows[0]?.acquired) !== 1) {
      throw new Error(
        `Timed out after ${MYSQL_LOCK_TIMEOUT_SECONDS}s waiting for the migration lock`,
      );
    }
    try {
      // MySQL DDL commits implicitly, so a transaction buys nothing; the lock is what serialises.
      const ran = await dataSource.runMigrations({ transaction: 'none' });
      return ran.map((m) => m.name);
    } finally {
      await lockHolder.query('SELECT RELEASE_LOCK(?)', [MYSQL_LOCK_NAME]);
    }
  } finally {
    await lockHolder.release();
  }
}

const LOCK_FILE_STALE_MS = 120_000;

async function withLockFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + MYSQL_LOCK_TIMEOUT_SECONDS * 1000;
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left behind by a crashed process is taken over after a while.
      const age = Date.now() - (statSafe(path) ?? Date.now());
      if (age > LOCK_FILE_STALE_MS) unlinkSafe(path);
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for the migration lock ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await work();
  } finally {
    unlinkSafe(path);
  }
}

function statSafe(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function unlinkSafe(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
