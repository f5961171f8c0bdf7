import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument, configureApp } from '../src/app.setup';

/**
 * The OpenAPI document `/docs-json` serves, built from the real module graph on a throwaway
 * in-memory database, so no server or data directory is needed. The environment shapes it like
 * the service's (`ISSUER`, else `http://localhost:$PORT`, is its server).
 */
export async function buildOfflineOpenApiDocument(): Promise<OpenAPIObject> {
  process.env.DATABASE_URL = 'sqlite::memory:';
  process.env.LOG_LEVEL ??= 'silent';
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: false,
  });
  try {
    configureApp(app);
    await app.init();
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
