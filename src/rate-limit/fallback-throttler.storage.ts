import { Logger } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { RedisThrottlerStorage } from './redis-throttler.storage';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Redis storage that falls back to this process's memory while Redis is unreachable: rate limits
 * are a shield against floods, not a guarantee like the lockout, so during an outage each replica
 * limits on its own (the effective limit is multiplied by the replica count) instead of refusing
 * every sign-in. Logged once when the fallback starts and once when Redis is back.
 */
export class FallbackThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(FallbackThrottlerStorage.name);
  private readonly memory = new ThrottlerStorageService();
  private degraded = false;

  constructor(private readonly redis: RedisThrottlerStorage) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.redis.available) {
      try {
        const record = await this.redis.increment(key, ttl, limit);
        if (this.degraded) {
          this.degraded = false;
          this.logger.log('Redis is back; rate limits are shared again');
        }
        return record;
      } catch {
        // Falls through to memory below.
      }
    }
    if (!this.degraded) {
      this.degraded = true;
      this.logger.warn('Redis unavailable; rate limits fall back to this process’s memory');
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
  }
}
