import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { REDIS_KEY_PREFIX } from '../redis/redis-unavailable';
import { RedisScript } from '../redis/redis-script';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One fixed window per key, atomically: a hit is counted while fewer than the limit were counted
 * (a refused request does not extend the wait); the first hit opens the window.
 * KEYS[1] counter; ARGV[1] limit; ARGV[2] window in ms. Returns {hits, ms left, blocked 0|1}.
 */
const INCREMENT = new RedisScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then
  local left = redis.call('PTTL', KEYS[1])
  if left > 0 then return {count + 1, left, 1} end
  redis.call('DEL', KEYS[1])
end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {count, redis.call('PTTL', KEYS[1]), 0}
`);

/**
 * @nestjs/throttler's storage in Redis (`REDIS_URL`), so every replica counts into the same window.
 * Throws when Redis does not answer; `FallbackThrottlerStorage` decides what that means.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: Redis) {}

  get available(): boolean {
    return this.redis.status === 'ready';
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const [hits, left, blocked] = (await INCREMENT.run(
      this.redis,
      [`${REDIS_KEY_PREFIX}rate:${key}`],
      [limit, ttl],
    )) as [number, number, number];
    const secondsLeft = Math.max(1, Math.ceil(left / 1000));
    return {
      totalHits: hits,
      timeToExpire: secondsLeft,
      isBlocked: blocked === 1,
      timeToBlockExpire: blocked === 1 ? secondsLeft : 0,
    };
  }
}
