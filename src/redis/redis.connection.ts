import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app.config';

/**
 * The one Redis connection of the process, when `REDIS_URL` is set; `client` is undefined
 * otherwise and every shared counter stays in the database. Commands fail fast while Redis is
 * unreachable (no offline queue), so a caller decides what an outage means instead of hanging.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client?: Redis;

  constructor(config: AppConfig) {
    if (!config.redisUrl) return;
    this.client = new Redis(config.redisUrl, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.client.on('error', (error: Error) => {
      this.logger.warn({ err: { message: error.message } }, 'Redis unavailable');
    });
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}
