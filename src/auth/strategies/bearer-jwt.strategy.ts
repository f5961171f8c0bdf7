import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ApplicationsService } from '../../applications/applications.service';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { Principal } from '../principal';
import { bearerCredential } from '../schemes/auth-scheme';
import { TokenService } from '../tokens/token.service';

export const BEARER_JWT_STRATEGY = 'bearer-jwt';

/**
 * `Authorization: Bearer <JWT>`: ES256 only, issuer and audience pinned (verified once per token,
 * {@link TokenService.verifyAccessToken}), then checked against the store on every request.
 */
@Injectable()
export class BearerJwtStrategy extends PassportStrategy(Strategy, BEARER_JWT_STRATEGY) {
  constructor(
    private readonly tokens: TokenService,
    private readonly applications: ApplicationsService,
  ) {
    // passport-jwt's own verification is not used (see `authenticate`); it requires a key source.
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: unknown, _token: unknown, done: (error: Error) => void) =>
        done(new IdentityError(IdentityErrorCode.TOKEN_INVALID)),
    });
  }

  override authenticate(request: Request): void {
    // passport augments strategies with success/error at run time; the typings omit them.
    const actions = this as unknown as { success(user: unknown): void; error(err: Error): void };
    this.principalOf(request).then(
      (principal) => actions.success(principal),
      (error: unknown) =>
        actions.error(error instanceof Error ? error : new Error(String(error), { cause: error })),
    );
  }

  /** Unused: `authenticate` above does the work. */
  validate(): never {
    throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
  }

  private async principalOf(request: Request): Promise<Principal> {
    const token = bearerCredential(request);
    const claims = token ? await this.tokens.verifyAccessToken(token) : null;
    if (!claims) throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    return this.tokens.principalFromClaims(claims, {
      application: (id) => this.applications.findByClientId(id),
    });
  }
}
