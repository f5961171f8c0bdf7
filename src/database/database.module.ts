import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsWithLock } from './migration-runner';
import { TransactionRunner } from './transaction-runner';

/**
 * The TypeORM connection for `DATABASE_URL`. Migrations run (under a lock) before any repository
 * is handed out, so no module ever sees an old schema. `synchronize` is never used.
 */
@Global()
@Module({
  providers: [TransactionRunner],
  exports: [TransactionRunner],
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl),
        autoLoadEntities: true,
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const ran = await runMigrationsWithLock(dataSource);
        if (ran.length > 0) new Logger('Database').log(`Applied migrations: ${ran.join(', ')}`);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
