import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_KEY_PREFIX, redisUnavailable } from '../redis/redis-unavailable';
import { RedisScript } from '../redis/redis-script';
import { effectiveUserStatus, type LockoutSettings, type UsersService } from './users.service';
import type { User } from './user.entity';
import type { PasswordAttempts } from './password-attempts';

/**
 * Counts one attempt while fewer than the threshold were counted in this window, in one atomic
 * step; the first attempt opens the window (a fixed window, as the database's).
 * KEYS[1] counter; ARGV[1] threshold; ARGV[2] window in ms. Returns 1 when reserved, else 0.
 */
const RESERVE = new RedisScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return 0 end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

/**
 * Attempts counted in Redis (`REDIS_URL`), so the hot counter of every sign-in leaves the user's
 * row. Redis decides how many compares a window gets; the user's row still holds the lock: once
 * the threshold is reached, the lock is written there by one conditional UPDATE
 * (`UsersService.lockAfterFailedLogins`), so administrators see it, `PATCH status: active` lifts
 * it. While Redis is unreachable every method throws SERVICE_BUSY before any password is compared (fail closed: a
 * lockout that cannot count would let guesses through unbounded).
 */
export class RedisPasswordAttempts implements PasswordAttempts {
  private readonly logger = new Logger(RedisPasswordAttempts.name);

  constructor(
    private readonly redis: Redis,
    private readonly users: UsersService,
  ) {}

  assertAvailable(): void {
    if (this.redis.status !== 'ready') throw redisUnavailable();
  }

  async reserve(user: User, policy: LockoutSettings, now: Date): Promise<boolean> {
    this.assertAvailable();
    // The row read for this request decides the status, as the UPDATE's condition does.
    if (effectiveUserStatus(user, now) !== 'active') return false;
    if (policy.lockout_threshold <= 0) return true;
    const reserved = await this.call(() =>
      RESERVE.run(
        this.redis,
        [this.key(user.id)],
        [policy.lockout_threshold, policy.lockout_window_seconds * 1000],
      ),
    );
    return reserved === 1;
  }

  async recordFailure(
    user: User,
    policy: LockoutSettings,
    now: Date,
  ): Promise<{ locked: boolean }> {
    if (policy.lockout_threshold <= 0) return { locked: false };
    const count = Number(await this.call(() => this.redis.get(this.key(user.id))));
    if (count < policy.lockout_threshold) return { locked: false };
    return this.users.lockAfterFailedLogins(user.id, policy, now);
  }

  async recordSuccess(user: User): Promise<void> {
    await this.call(() => this.redis.del(this.key(user.id)));
    // Only a row with something to forget is written: the sign-in path stays off the database.
    if (user.failedLoginCount > 0 || user.status === 'locked') {
      await this.users.resetFailedLogins(user.id);
    }
  }

  async clear(userId: string): Promise<void> {
    await this.call(() => this.redis.del(this.key(userId)));
  }

  private key(userId: string): string {
    return `${REDIS_KEY_PREFIX}lockout:${userId}`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      // By name only: ioredis' messages name the host.
      this.logger.warn(
        { redis: error instanceof Error ? error.name : 'unknown' },
        'Redis unavailable for the lockout counter; answered 503',
      );
      throw redisUnavailable();
    }
  }
}
