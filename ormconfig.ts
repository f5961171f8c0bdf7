import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './src/config/app.config';
import { dataSourceOptions } from './src/database/data-source-options';
import { ENTITIES } from './src/database/entities';

/** The DataSource of the TypeORM CLI (`npm run migration:run`, e.g. from a Kubernetes Job). */
export default new DataSource({
  ...dataSourceOptions(AppConfig.fromEnvironment(process.env).databaseUrl),
  entities: ENTITIES,
});
