import { Global, Module } from '@nestjs/common';
import { AppConfig } from './app.config';

/** Provides the validated `AppConfig`; a bad variable stops the start with a message naming it. */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => AppConfig.fromEnvironment(process.env) }],
  exports: [AppConfig],
})
export class ConfigModule {}
