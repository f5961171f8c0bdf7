/**
 * Writes the OpenAPI document (`npm run openapi:export [-- <file>]`, stdout without a file): the
 * same document `/docs-json` serves, built from the real module graph on a throwaway in-memory
 * database, so no server or data directory is needed.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument, configureApp } from '../src/app.setup';

async function exportOpenApi(): Promise<void> {
  process.env.DATABASE_URL = 'sqlite::memory:';
  process.env.LOG_LEVEL ??= 'silent';
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: false,
  });
  try {
    configureApp(app);
    await app.init();
    const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
    const target = process.argv[2];
    if (target) writeFileSync(target, json);
    else process.stdout.write(json);
  } finally {
    await app.close();
  }
}

exportOpenApi().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
