import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app.config';
import { RedisConnection } from '../redis/redis.connection';
import { FallbackThrottlerStorage } from './fallback-throttler.storage';
import { ACCOUNT_LIMIT, IP_LIMIT } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Rate limits of sign-in, password change and reset, and code sends (`@RateLimit`): counted in
 * Redis when `REDIS_URL` is set (this process's memory while it is down), else in memory.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisConnection],
      useFactory: (config: AppConfig, redis: RedisConnection) => {
        const ttl = config.rateLimits.windowSeconds * 1000;
        return {
          throttlers: [
            // blockDuration 0: a refused request does not extend the wait.
            { name: IP_LIMIT, ttl, limit: config.rateLimits.perIp, blockDuration: 0 },
            { name: ACCOUNT_LIMIT, ttl, limit: config.rateLimits.perAccount, blockDuration: 0 },
          ],
          // Retry-After comes from the dialect's renderer; no X-RateLimit-* headers.
          setHeaders: false,
          storage: redis.client
            ? new FallbackThrottlerStorage(new RedisThrottlerStorage(redis.client))
            : undefined,
        };
      },
    }),
  ],
})
export class RateLimitModule {}
