import type { DataSource } from 'typeorm';

const MYSQL_LOCK_NAME = 'tessera_migrations';
const MYSQL_LOCK_TIMEOUT_SECONDS = 120;

/**
 * Runs pending migrations under a database-wide lock, so replicas starting together on one empty
 * MySQL migrate exactly once: the first takes `GET_LOCK`, the others wait, then find nothing to do.
 * SQLite serialises writers itself (one file, `busy_timeout`), and TypeORM runs each migration in a
 * transaction there.
 */
export async function runMigrationsWithLock(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type !== 'mysql') {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
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
