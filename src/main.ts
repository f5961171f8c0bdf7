import { cpus } from 'node:os';
// bcrypt runs on the libuv pool; give it room beside fs and dns before the pool first starts.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, cpus().length + 2));

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig } from './config/app.config';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port, config.host);
}

void bootstrap();
