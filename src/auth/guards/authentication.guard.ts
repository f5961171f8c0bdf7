import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { AUTH_REQUIREMENT_KEY, type AuthRequirement } from '../decorators/auth.decorator';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import type { Principal } from '../principal';
import { AuthSchemeRegistry } from '../schemes/auth-scheme';

/**
 * The one global guard: default-deny. A route needs `@Public()` or `@Auth(scheme)`; the scheme
 * comes from the registry, so a dialect adds one without editing this guard. A request without
 * the scheme's credential fails with the scheme's "missing" error, one with a bad credential
 * with its "invalid" error; then the user's status (a frozen or locked user's tokens stay valid but
 * serve nothing), scopes and the password-change restriction are enforced.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly logger = new Logger(AuthenticationGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly schemes: AuthSchemeRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.requirementOf(context);
    if (requirement === 'public') return true;
    if (!requirement) {
      this.logger.error(
        `Route without @Auth or @Public denied: ${context.getClass().name}.${context.getHandler().name}`,
      );
      throw new IdentityError(IdentityErrorCode.FORBIDDEN);
    }
    const request = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const scheme = this.schemes.resolve(requirement.scheme);
    if (!scheme.isPresented(request)) throw new IdentityError(scheme.missingError);
    const principal = await scheme.authenticate(context);
    request.user = principal;
    if (principal.kind === 'user' && principal.status !== 'active')
      throw new IdentityError(
        principal.status === 'frozen'
          ? IdentityErrorCode.USER_FROZEN
          : IdentityErrorCode.USER_LOCKED,
      );
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
