import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM options for a `DATABASE_URL`: `sqlite:<file>` / `sqlite::memory:` (better-sqlite3) or
 * `mysql://user:pass@host:port/db` (mysql2). Entities are discovered by `autoLoadEntities` in the
 * app and listed explicitly by the migration CLI; the schema is owned by migrations only.
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = {
    migrations: MIGRATIONS,
    migrationsTableName: 'tessera_migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    const database = file === ':memory:' || file === '' ? ':memory:' : file;
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      // WAL lets readers proceed during a write; busy_timeout makes a second process wait for the
      // write lock instead of failing at once.
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        if (database !== ':memory:') db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  const url = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  return {
    ...common,
    type: 'mysql',
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    extra: { connectionLimit: Number(url.searchParams.get('connection_limit') ?? 10) },
  };
}
