import { Injectable } from '@nestjs/common';
import {
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { RedisHealthIndicator } from '../redis/redis.health';

/**
 * Readiness, for `GET /health/ready` on both listeners: the database answers, Redis too when
 * `REDIS_URL` is set, and the process is not draining (then it is down at once, without asking
 * the database). Rejects with terminus's 503 when something is down.
 */
@Injectable()
export class ReadinessCheck {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: LifecycleService,
  ) {}

  run(): Promise<HealthCheckResult> {
    if (this.lifecycle.draining) {
      return this.health.check([() => this.indicators.check('shutdown').down('draining')]);
    }
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      ...this.redis.checks(),
    ]);
  }
}
