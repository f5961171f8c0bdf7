import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RedisConnection } from './redis.connection';

/**
 * Readiness of Redis when `REDIS_URL` is set: sign-in and code sends refuse to run without it
 * (lockout and throttles fail closed), so a replica that cannot reach it is not ready. Without
 * `REDIS_URL` there is nothing to check and readiness is the database's alone.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly redis: RedisConnection,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** The checks to add to readiness: none without Redis, one `PING` with it. */
  checks(): Array<() => Promise<HealthIndicatorResult>> {
    const client = this.redis.client;
    if (!client) return [];
    return [
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          await client.ping();
          return indicator.up();
        } catch {
          // The error text may name the host; the status says enough.
          return indicator.down({ connection: client.status });
        }
      },
    ];
  }
}
