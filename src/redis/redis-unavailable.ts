import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';

/** What a client is told to wait before retrying while Redis is unreachable. */
export const REDIS_RETRY_AFTER_SECONDS = 5;

/** Every key Tessera writes in Redis starts with this, so a shared Redis can be inspected safely. */
export const REDIS_KEY_PREFIX = 'tessera:';

/**
 * The answer to a counter Redis could not read or write: 503 with `Retry-After` in the dialect's
 * words, never a 500 (the connection fails fast instead of queueing, see `RedisConnection`).
 */
export function redisUnavailable(): IdentityError {
  return new IdentityError(IdentityErrorCode.SERVICE_BUSY, {
    retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS,
    redis: 'unavailable',
  });
}
