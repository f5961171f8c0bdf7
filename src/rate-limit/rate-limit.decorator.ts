import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { RATE_LIMIT_KEY, RateLimitGuard, type RateLimitOptions } from './rate-limit.guard';

/**
 * Limits a sign-in, password-change, reset or code-send route per client IP and per the account
 * `options.account` reads (`RATE_LIMIT_*`); past either limit the dialect answers 429 with
 * `Retry-After`.
 */
export function RateLimit(options: RateLimitOptions): MethodDecorator {
  return applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, options),
    UseGuards(RateLimitGuard),
    ApiTooManyRequestsResponse({
      description:
        'Too many requests from this client IP or for this account in the window (RATE_LIMIT_*); see Retry-After',
    }),
  );
}
