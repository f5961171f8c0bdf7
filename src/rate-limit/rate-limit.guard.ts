import { createHash } from 'node:crypto';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { accountKey, type AccountOf, type RateLimitedRequest } from './rate-limit-account';

export const RATE_LIMIT_KEY = 'tessera:rate-limit';

/** What `@RateLimit` records on a route. */
export interface RateLimitOptions {
  /** The account the request names. */
  account: AccountOf;
  /** Limits only the requests this accepts (the token endpoint: password and OTP grants). */
  when?: (request: RateLimitedRequest) => boolean;
}

/** The names of the two limits, as configured in `RateLimitModule`. */
export const IP_LIMIT = 'ip';
export const ACCOUNT_LIMIT = 'account';

/**
 * @nestjs/throttler's guard on the routes `@RateLimit` marks, with two counters per request: the
 * client IP Express computed (`request.ip`, which follows `TRUST_PROXY`; IPv6 by /64) and the
 * account the request names. One window per IP and one per account cover every limited route
 * together, so spreading guesses over sign-in, change and reset gains nothing. A request that
 * names no account is still counted per IP. Past a limit: RATE_LIMITED, rendered by the
 * dialect with `Retry-After`.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // Guards named in @UseGuards are built per module; make sure the throttlers are read.
    if (!this.throttlers) await this.onModuleInit();
    return super.canActivate(context);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const options = this.optionsOf(context);
    const request = context.switchToHttp().getRequest<RateLimitedRequest>();
    return Promise.resolve(!options || (options.when !== undefined && !options.when(request)));
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    if (props.limit <= 0) return true;
    const request = props.context.switchToHttp().getRequest<RateLimitedRequest>();
    const tracker =
      props.throttler.name === ACCOUNT_LIMIT
        ? accountKey(
            this.optionsOf(props.context)?.account(request),
            this.config.defaultPhoneRegion,
          )
        : await this.getTracker(request);
    if (tracker === undefined) return true;
    return super.handleRequest({
      ...props,
      getTracker: () => tracker,
      // Not per route: one window per IP or account over every limited route. Hashed, so the
      // store never holds an identifier.
      generateKey: (_context, value, name) =>
        `${name}:${createHash('sha256').update(value).digest('base64url')}`,
    });
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new IdentityError(IdentityErrorCode.RATE_LIMITED, {
      retryAfterSeconds: Math.max(1, detail.timeToBlockExpire),
    });
  }

  private optionsOf(context: ExecutionContext): RateLimitOptions | undefined {
    return this.reflector.get<RateLimitOptions | undefined>(RATE_LIMIT_KEY, context.getHandler());
  }
}
