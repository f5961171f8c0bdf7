import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { UsersService } from '../../users/users.service';
import type { Principal, UserPrincipal } from '../principal';
import { AUTH_TOKEN_STRATEGY } from '../strategies/auth-token-header.strategy';
import { BEARER_JWT_STRATEGY } from '../strategies/bearer-jwt.strategy';
import { CLIENT_STRATEGY } from '../strategies/client-basic.strategy';
import { StateTokenService } from '../tokens/state-token.service';
import {
  AuthSchemeRegistry,
  bearerCredential,
  headerValue,
  PassportAuthScheme,
  RegisteredAuthScheme,
} from './auth-scheme';

/** Presented when the header names the scheme and carries a credential after it. */
const hasAuthorization = (request: Request, scheme: string): boolean =>
  new RegExp(`^${scheme}\\s+\\S`, 'i').test(headerValue(request, 'authorization'));

@Injectable()
export class BearerAuthScheme extends PassportAuthScheme {
  readonly name = 'bearer' as const;
  readonly missingError = IdentityErrorCode.AUTHENTICATION_REQUIRED;

  constructor(registry: AuthSchemeRegistry) {
    super(registry, BEARER_JWT_STRATEGY, IdentityErrorCode.TOKEN_INVALID);
  }

  isPresented(request: Request): boolean {
    return hasAuthorization(request, 'bearer');
  }

  /**
   * A header that names the scheme but is not RFC 6750 syntax is an invalid credential, not a
   * missing one (`Bearer <token> junk` must not pass).
   */
  override async authenticate(context: ExecutionContext): Promise<Principal> {
    if (bearerCredential(context.switchToHttp().getRequest<Request>()) === undefined)
      throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    return super.authenticate(context);
  }
}

@Injectable()
export class ClientAuthScheme extends PassportAuthScheme {
  readonly name = 'client' as const;
  readonly missingError = IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED;

  constructor(registry: AuthSchemeRegistry) {
    super(registry, CLIENT_STRATEGY, IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED);
  }

  /** HTTP Basic, or a client_id in the body (public clients send nothing else). */
  isPresented(request: Request): boolean {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return hasAuthorization(request, 'basic') || typeof body.client_id === 'string';
  }
}

@Injectable()
export class AuthTokenScheme extends PassportAuthScheme {
  readonly name = 'auth-token' as const;
  readonly missingError = IdentityErrorCode.AUTHENTICATION_REQUIRED;

  constructor(registry: AuthSchemeRegistry) {
    super(registry, AUTH_TOKEN_STRATEGY, IdentityErrorCode.TOKEN_INVALID);
  }

  isPresented(request: Request): boolean {
    return headerValue(request, 'x-auth-token') !== '';
  }
}

/**
 * `X-State-Token`: the caller proved the password at sign-in and must now change it. The
 * principal may use password-change routes only; the change spends the token.
 */
@Injectable()
export class StateTokenScheme extends RegisteredAuthScheme {
  readonly name = 'state-token' as const;
  readonly missingError = IdentityErrorCode.AUTHENTICATION_REQUIRED;

  constructor(
    registry: AuthSchemeRegistry,
    private readonly stateTokens: StateTokenService,
    private readonly users: UsersService,
  ) {
    super(registry);
  }

  isPresented(request: Request): boolean {
    return headerValue(request, 'x-state-token') !== '';
  }

  async authenticate(context: ExecutionContext): Promise<UserPrincipal> {
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.stateTokens.principal(
      headerValue(request, 'x-state-token'),
      (id) => this.users.findById(id),
    );
    if (!principal) throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    return principal;
  }
}
