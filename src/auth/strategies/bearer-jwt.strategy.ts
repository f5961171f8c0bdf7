import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ApplicationsService } from '../../applications/applications.service';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { AppConfig } from '../../config/app.config';
import { SigningKeyService } from '../../keys/signing-key.service';
import { UsersService } from '../../users/users.service';
import type { Principal } from '../principal';
import {
  type AccessTokenClaims,
  hasRequiredAccessClaims,
  TokenService,
} from '../tokens/token.service';

export const BEARER_JWT_STRATEGY = 'bearer-jwt';

/** `Authorization: Bearer <JWT>`: ES256 only, issuer and audience pinned, then checked against the store. */
@Injectable()
export class BearerJwtStrategy extends PassportStrategy(Strategy, BEARER_JWT_STRATEGY) {
  constructor(
    config: AppConfig,
    keys: SigningKeyService,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly applications: ApplicationsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['ES256'],
      issuer: config.issuer,
      audience: config.issuer,
      ignoreExpiration: false,
      // jsonwebtoken verifies with a KeyObject; the typings only admit string | Buffer.
      secretOrKeyProvider: (_request, rawJwt, done) => {
        const kid = jwt.decode(rawJwt as string, { complete: true })?.header.kid;
        if (!kid) return done(new IdentityError(IdentityErrorCode.TOKEN_INVALID));
        keys.publicKey(kid).then(
          (key) =>
            key
              ? done(null, key as unknown as string)
              : done(new IdentityError(IdentityErrorCode.TOKEN_INVALID)),
          (error: unknown) => done(error),
        );
      },
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal> {
    if (!hasRequiredAccessClaims(claims)) throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    return this.tokens.principalFromClaims(claims, {
      user: (id) => this.users.findById(id),
      application: (id) => this.applications.findByClientId(id),
    });
  }
}
