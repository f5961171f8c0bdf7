import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { UsersService } from '../../users/users.service';
import type { UserPrincipal } from '../principal';
import { TokenService } from '../tokens/token.service';

export const AUTH_TOKEN_STRATEGY = 'auth-token';

type VerifyCallback = (token: string, done: (error: unknown, principal?: unknown) => void) => void;

/** Passport strategy reading an opaque token from `X-Auth-Token` (Keystone style). */
class AuthTokenHeaderPassportStrategy extends Strategy {
  constructor(private readonly verify: VerifyCallback) {
    super();
  }

  override authenticate(request: Request): void {
    const header = request.headers['x-auth-token'];
    const token = typeof header === 'string' ? header.trim() : '';
    this.verify(token, (error, principal) => {
      if (error)
        this.error(error instanceof Error ? error : new Error('X-Auth-Token verification failed'));
      else this.success(principal);
    });
  }
}

@Injectable()
export class AuthTokenHeaderStrategy extends PassportStrategy(
  AuthTokenHeaderPassportStrategy,
  AUTH_TOKEN_STRATEGY,
) {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UsersService,
  ) {
    super();
  }

  async validate(token: string): Promise<UserPrincipal> {
    const found = await this.tokens.opaqueTokenPrincipal(token, (id) => this.users.findById(id));
    if (!found) throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    return found.principal;
  }
}
