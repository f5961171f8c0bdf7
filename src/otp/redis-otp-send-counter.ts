import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_KEY_PREFIX, redisUnavailable } from '../redis/redis-unavailable';
import { RedisScript } from '../redis/redis-script';
import type { OtpSendCounter, ThrottleLimit } from './otp-send-counter';

/**
 * Counts one send while fewer than the limit were counted in this window, atomically; the first
 * send opens the window. KEYS[1] counter; ARGV[1] limit; ARGV[2] window in ms. Returns -1 when
 * counted, else the milliseconds left in the window.
 */
const HIT = new RedisScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then
  local left = redis.call('PTTL', KEYS[1])
  if left > 0 then return left end
  redis.call('DEL', KEYS[1])
end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return -1
`);

/**
 * OTP send throttles in Redis (`REDIS_URL`). While Redis is unreachable a send is refused with
 * SERVICE_BUSY before anything is sent (fail closed: unthrottled sends cost money and flood
 * inboxes, and the limits would not hold across replicas).
 */
export class RedisOtpSendCounter implements OtpSendCounter {
  private readonly logger = new Logger(RedisOtpSendCounter.name);

  constructor(private readonly redis: Redis) {}

  async hit(throttleKey: string, limit: ThrottleLimit): Promise<number | null> {
    let left: unknown;
    try {
      left = await HIT.run(
        this.redis,
        [`${REDIS_KEY_PREFIX}otp-send:${throttleKey}`],
        [limit.limit, limit.windowSeconds * 1000],
      );
    } catch (error) {
      // By name only: ioredis' messages name the host.
      this.logger.warn(
        { redis: error instanceof Error ? error.name : 'unknown' },
        'Redis unavailable for the OTP send throttle; answered 503',
      );
      throw redisUnavailable();
    }
    const milliseconds = Number(left);
    return milliseconds < 0 ? null : Math.max(1, Math.ceil(milliseconds / 1000));
  }
}
