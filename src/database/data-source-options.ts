import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AdvancedConsoleLogger, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { QueryTimeoutSubscriber } from './query-timeout.subscriber';

/**
 * How long the application waits for MariaDB before a request answers 503 (AppConfig
 * `databaseTimeouts`): opening a connection (mysql2 `connectTimeout`, the TCP connect and the
 * handshake), one statement (mysql2's per-query `timeout`), waiting for a pooled connection
 * (database.module.ts; mysql2 has no acquire timeout of its own) and how many requests may wait
 * (`queueLimit`; past it a request fails at once).
 */
export interface DatabaseBounds {
  connectMs: number;
  acquireMs: number;
  queryMs: number;
  queueLimit: number;
}

/**
 * TypeORM's default logger, except that it does not print slow statements: it would print them
 * with their parameters (password hashes, digests) whenever a statement reaches the query timeout.
 */
class NoSlowQueryLogger extends AdvancedConsoleLogger {
  override logQuerySlow(): void {}
}

/**
 * TypeORM options for a `DATABASE_URL`: `sqlite:<file>` / `sqlite::memory:` (better-sqlite3) or
 * `mysql://user:pass@host:port/db` (mysql2). Entities are discovered by `autoLoadEntities` in the
 * app and listed explicitly by the migration CLI; the schema is owned by migrations only. `bounds`
 * (the application's, not the migration CLI's: a migration may run long) bound every wait on
 * MariaDB; SQLite is in-process and waits only for its write lock (`busy_timeout`).
 */
export function dataSourceOptions(databaseUrl: string, bounds?: DatabaseBounds): DataSourceOptions {
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
    extra: {
      connectionLimit: Number(url.searchParams.get('connection_limit') ?? 10),
      ...(bounds && { connectTimeout: bounds.connectMs, queueLimit: bounds.queueLimit }),
    },
    ...(bounds && {
      // TypeORM passes mysql2 `{sql, timeout}` for every statement; the subscriber then drops a
      // connection whose statement timed out, which mysql2 would otherwise hand out again stuck.
      enableQueryTimeout: true,
      maxQueryExecutionTime: bounds.queryMs,
      subscribers: [QueryTimeoutSubscriber],
      logger: new NoSlowQueryLogger(false),
    }),
  };
}
