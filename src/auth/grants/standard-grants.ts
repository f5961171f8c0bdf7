import { Injectable } from '@nestjs/common';
import type { Application } from '../../applications/application.entity';
import { ApplicationsService } from '../../applications/applications.service';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { UsersService } from '../../users/users.service';
import { TokenService, type TokenResponse } from '../tokens/token.service';
import { GrantRegistry, grantedScopes, RegisteredGrant, requireParam } from './grant-handler';

/** RFC 6749 §4.4, for machine-to-machine applications. */
@Injectable()
export class ClientCredentialsGrant extends RegisteredGrant {
  readonly grantTypes = ['client_credentials'] as const;

  constructor(
    registry: GrantRegistry,
    private readonly tokens: TokenService,
    private readonly applications: ApplicationsService,
  ) {
    super(registry);
  }

  async handle(
    params: Readonly<Record<string, string>>,
    client: Application,
  ): Promise<TokenResponse> {
    if (client.type !== 'm2m') throw new IdentityError(IdentityErrorCode.UNAUTHORIZED_CLIENT);
    return this.tokens.issueForClient(
      client,
      grantedScopes(params.scope, this.applications.scopesOf(client)),
    );
  }
}

/** RFC 6749 §6 with rotation; reuse of a rotated token revokes the family. */
@Injectable()
export class RefreshTokenGrant extends RegisteredGrant {
  readonly grantTypes = ['refresh_token'] as const;

  constructor(
    registry: GrantRegistry,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
  ) {
    super(registry);
  }

  async handle(
    params: Readonly<Record<string, string>>,
    client: Application,
  ): Promise<TokenResponse> {
    const user = async (id: string) => {
      const found = await this.users.findById(id);
      // A frozen or locked user keeps existing tokens but gets no new ones.
      if (found) this.users.assertActive(found);
      return found;
    };
    return this.tokens
      .refresh(requireParam(params, 'refresh_token'), client, user, params.scope)
      .catch((error: unknown) => {
        if (
          error instanceof IdentityError &&
          (error.code === IdentityErrorCode.USER_FROZEN ||
            error.code === IdentityErrorCode.USER_LOCKED)
        ) {
          throw new IdentityError(IdentityErrorCode.INVALID_GRANT);
        }
        throw error;
      });
  }
}
