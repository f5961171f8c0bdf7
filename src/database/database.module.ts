import { Global, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsWithLock } from './migration-runner';
import { initializeAtStartup, type StartupConnectionOptions } from './startup-connection';
import { TransactionRunner } from './transaction-runner';

/** mysql2's pool as TypeORM's MySQL driver holds it. */
type GetConnection = (callback: (error: unknown, connection?: { release(): void }) => void) => void;
interface MysqlPoolShape {
  getConnection: GetConnection;
}

/**
 * Bounds the wait for a pooled connection, which mysql2 does not: past `timeoutMs` the caller gets
 * a `POOL_ACQUIRE_TIMEOUT` error (503), and a connection that arrives later goes back to the pool.
 */
function boundPoolAcquire(dataSource: DataSource, timeoutMs: number): void {
  const pool = (dataSource.driver as unknown as { pool?: MysqlPoolShape }).pool;
  if (!pool) return;
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(
        Object.assign(new Error(`No database connection within ${timeoutMs} ms`), {
          code: 'POOL_ACQUIRE_TIMEOUT',
        }),
      );
    }, timeoutMs);
    getConnection((error, connection) => {
      clearTimeout(timer);
      if (!settled) callback(error, connection);
      else connection?.release();
    });
  };
}

/**
 * The TypeORM connection for `DATABASE_URL`. Migrations run (under a lock) before any repository
 * is handed out, so no module ever sees an old schema. `synchronize` is never used. On MariaDB
 * every wait is bounded (`databaseTimeouts`), except the migrations at start, which run on a
 * connection of their own without a statement timeout (a migration or the migration lock may take
 * longer than any request should).
 */
@Global()
@Module({
  providers: [TransactionRunner],
  exports: [TransactionRunner],
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl, config.databaseTimeouts),
        autoLoadEntities: true,
        // Retried (and reported) by initializeAtStartup instead.
        toRetry: () => false,
        startup: {
          databaseUrl: config.databaseUrl,
          timeoutMs: config.databaseStartupTimeoutSeconds * 1000,
          logger: new Logger('Database'),
        } satisfies StartupConnectionOptions,
      }),
      dataSourceFactory: async (options) => {
        const { startup, ...bounded } = options as DataSourceOptions & {
          startup: StartupConnectionOptions;
        };
        const migrator =
          bounded.type === 'mysql'
            ? await initializeAtStartup(
                () => new DataSource({ ...bounded, enableQueryTimeout: false }),
                startup,
              )
            : undefined;
        const dataSource = await initializeAtStartup(() => new DataSource(bounded), startup);
        try {
          const ran = await runMigrationsWithLock(migrator ?? dataSource);
          if (ran.length > 0) new Logger('Database').log(`Applied migrations: ${ran.join(', ')}`);
        } finally {
          await migrator?.destroy();
        }
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    boundPoolAcquire(this.dataSource, this.config.databaseTimeouts.acquireMs);
  }
}
