import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { LoggingModule } from '../../src/common/logging/logging.module';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { KeysModule } from '../../src/keys/keys.module';
import { OtpModule } from '../../src/otp/otp.module';
import { RedisModule } from '../../src/redis/redis.module';

/**
 * OtpModule with exactly what it depends on (config, logging, the real database with its
 * migrations, Redis when `REDIS_URL` is set, server keys), so these tests do not hinge on the rest of the application. `env`
 * overrides the environment while the configuration is built, then is restored.
 */
export async function createOtpTestModule(
  env: Record<string, string> = {},
): Promise<TestingModule> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, LoggingModule, DatabaseModule, RedisModule, KeysModule, OtpModule],
    }).compile();
    moduleRef.useLogger(moduleRef.get(Logger));
    await moduleRef.init();
    return moduleRef;
  } finally {
    process.env = saved;
  }
}
