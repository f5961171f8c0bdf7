import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';

export const TEST_ADMIN = {
  clientId: 'test-admin',
  clientSecret: 'test-admin-secret-0123456789abcdef',
} as const;

/**
 * Boots the real AppModule with `configureApp`, exactly as production does. `env` overrides the
 * environment for this app only (restored afterwards), so two apps can share one database.
 */
export async function createTestApp(
  env: Record<string, string> = {},
): Promise<NestExpressApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
    ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
    ...env,
  });
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    configureApp(app);
    await app.init();
    return app;
  } finally {
    process.env = saved;
  }
}
