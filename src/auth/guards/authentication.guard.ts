import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import {
  AUTH_REQUIREMENT_KEY,
  type AuthRequirement,
  type AuthScheme,
} from '../decorators/auth.decorator';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import type { Principal } from '../principal';
import { AUTH_TOKEN_STRATEGY } from '../strategies/auth-token-header.strategy';
import { BEARER_JWT_STRATEGY } from '../strategies/bearer-jwt.strategy';
import { CLIENT_STRATEGY } from '../strategies/client-basic.strategy';

/** Passport's guard for one strategy, with failures turned into IdentityErrors for the dialect filters. */
function passportGuard(
  strategy: string,
  missing: IdentityErrorCode,
  invalid: IdentityErrorCode,
): IAuthGuard {
  class SchemeGuard extends AuthGuard(strategy) {
    override handleRequest<TUser>(error: unknown, principal: TUser | false, info: unknown): TUser {
      if (error instanceof IdentityError) throw error;
      if (info instanceof IdentityError) throw info;
      if (error) throw error instanceof Error ? error : new IdentityError(invalid);
      if (!principal) {
        const noToken = info instanceof Error && /no auth token/i.test(info.message);
        throw new IdentityError(noToken ? missing : invalid);
      }
      return principal;
    }
  }
  return new SchemeGuard();
}

/**
 * The one global guard: default-deny. A route needs `@Public()` or `@Auth(scheme)`; the scheme's
 * Passport strategy authenticates, then scopes and the password-change restriction are enforced.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly logger = new Logger(AuthenticationGuard.name);
  private readonly guards: Record<AuthScheme, IAuthGuard> = {
    bearer: passportGuard(
      BEARER_JWT_STRATEGY,
      IdentityErrorCode.AUTHENTICATION_REQUIRED,
      IdentityErrorCode.TOKEN_INVALID,
    ),
    client: passportGuard(
      CLIENT_STRATEGY,
      IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED,
      IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED,
    ),
    'auth-token': passportGuard(
      AUTH_TOKEN_STRATEGY,
      IdentityErrorCode.AUTHENTICATION_REQUIRED,
      IdentityErrorCode.TOKEN_INVALID,
    ),
  };

  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.requirementOf(context);
    if (requirement === 'public') return true;
    if (!requirement) {
      this.logger.error(
        `Route without @Auth or @Public denied: ${context.getClass().name}.${context.getHandler().name}`,
      );
      throw new IdentityError(IdentityErrorCode.FORBIDDEN);
    }
    await this.guards[requirement.scheme].canActivate(context);
    const principal = context.switchToHttp().getRequest<Request & { user?: Principal }>().user;
    if (!principal) throw new IdentityError(IdentityErrorCode.AUTHENTICATION_REQUIRED);
    const missing = (requirement.scopes ?? []).filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0)
      throw new IdentityError(IdentityErrorCode.INSUFFICIENT_SCOPE, { missing });
    if (
      principal.kind === 'user' &&
      principal.passwordChangeRequired &&
      !requirement.allowPasswordChangeRequired
    ) {
      throw new IdentityError(IdentityErrorCode.PASSWORD_CHANGE_REQUIRED);
    }
    return true;
  }

  /** The nearest declaration wins: a method's `@Auth` overrides its controller's `@Public`, and vice versa. */
  private requirementOf(context: ExecutionContext): AuthRequirement | 'public' | undefined {
    for (const target of [context.getHandler(), context.getClass()]) {
      if (this.reflector.get<boolean | undefined>(IS_PUBLIC_KEY, target)) return 'public';
      const requirement = this.reflector.get<AuthRequirement | undefined>(
        AUTH_REQUIREMENT_KEY,
        target,
      );
      if (requirement) return requirement;
    }
    return undefined;
  }
}
