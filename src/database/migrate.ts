import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { dataSourceOptions } from './data-source-options';
import { revertLastMigrationWithLock, runMigrationsWithLock } from './migration-runner';

/**
 * Runs pending migrations and exits: `npm run migration:run`, or a Kubernetes Job
 * (`node dist/src/database/migrate.js`). With `--revert` it reverts the last applied migration
 * (`npm run migration:revert`). The service also migrates at start, under the same lock.
 */
async function migrate(): Promise<void> {
  const logger = new Logger('Migrate');
  const config = AppConfig.fromEnvironment(process.env);
  const dataSource = await new DataSource(dataSourceOptions(config.databaseUrl)).initialize();
  try {
    if (process.argv.includes('--revert')) {
      const reverted = await revertLastMigrationWithLock(dataSource);
      logger.log(reverted ? `Reverted: ${reverted}` : 'No migration to revert');
    } else {
      const ran = await runMigrationsWithLock(dataSource);
      logger.log(ran.length > 0 ? `Applied: ${ran.join(', ')}` : 'Schema is up to date');
    }
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  new Logger('Migrate').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
