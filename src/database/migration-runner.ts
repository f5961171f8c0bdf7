import { closeSync, openSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { type DataSource, MigrationExecutor, type QueryRunner } from 'typeorm';

const MYSQL_LOCK_NAME = 'tessera_migrations';
const LOCK_TIMEOUT_SECONDS = 120;

/**
 * Runs pending migrations under a database-wide lock, so replicas starting together on one empty
 * database migrate exactly once: the first takes the lock, the others wait, then find nothing to
 * do. MySQL/MariaDB: `GET_LOCK`. SQLite: an exclusive lock file beside the database (TypeORM's
 * "create the migrations table" step races between connections otherwise); an in-memory database
 * has a single connection.
 */
export async function runMigrationsWithLock(dataSource: DataSource): Promise<string[]> {
  return withMigrationLock(dataSource, async (executor) =>
    (await executor.executePendingMigrations()).map((m) => m.name),
  );
}

/** Reverts the most recently applied migration under the same lock; its name, or null if none. */
export async function revertLastMigrationWithLock(dataSource: DataSource): Promise<string | null> {
  return withMigrationLock(dataSource, async (executor) => {
    // Newest first (TypeORM orders executed migrations by id descending).
    const [last] = await executor.getExecutedMigrations();
    if (!last) return null;
    await executor.undoLastMigration();
    return last.name;
  });
}

async function withMigrationLock<T>(
  dataSource: DataSource,
  work: (executor: MigrationExecutor) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type !== 'mysql') {
    const executor = new MigrationExecutor(dataSource);
    executor.transaction = 'each';
    const file = String(dataSource.options.database);
    return file === ':memory:'
      ? work(executor)
      : withLockFile(`${file}.migrations.lock`, () => work(executor));
  }
  const lockHolder = dataSource.createQueryRunner();
  try {
    await lockHolder.connect();
    await acquireMysqlLock(lockHolder);
    try {
      // The work runs on the connection that holds the lock, so it cannot wait for a free pool
      // slot while holding it. MySQL DDL commits implicitly, so a transaction buys nothing; the
      // lock is what serialises.
      const executor = new MigrationExecutor(dataSource, lockHolder);
      executor.transaction = 'none';
      return await work(executor);
    } finally {
      await lockHolder.query('SELECT RELEASE_LOCK(?)', [MYSQL_LOCK_NAME]);
    }
  } finally {
    await lockHolder.release();
  }
}

async function acquireMysqlLock(queryRunner: QueryRunner): Promise<void> {
  const rows = (await queryRunner.query('SELECT GET_LOCK(?, ?) AS acquired', [
    MYSQL_LOCK_NAME,
    LOCK_TIMEOUT_SECONDS,
  ])) as Array<{ acquired: number | string | null }>;
  if (Number(rows[0]?.acquired) !== 1) {
    throw new Error(`Timed out after ${LOCK_TIMEOUT_SECONDS}s waiting for the migration lock`);
  }
}

// The holder touches its lock file while it works, so only a lock whose holder died goes stale.
const LOCK_FILE_HEARTBEAT_MS = 5_000;
const LOCK_FILE_STALE_MS = 30_000;

async function withLockFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_TIMEOUT_SECONDS * 1000;
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
  const heartbeat = setInterval(() => touchSafe(path), LOCK_FILE_HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
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

function touchSafe(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Taken over or removed; nothing to keep alive.
  }
}

function unlinkSafe(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
