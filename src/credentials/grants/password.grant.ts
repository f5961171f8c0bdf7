import { Injectable } from '@nestjs/common';
import type { Application } from '../../applications/application.entity';
import { ApplicationsService } from '../../applications/applications.service';
import {
  GrantRegistry,
  grantedScopes,
  RegisteredGrant,
  requireParam,
} from '../../auth/grants/grant-handler';
import { scopesHeldBy, TokenService, type TokenResponse } from '../../auth/tokens/token.service';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { SignInWithPasswordUseCase } from '../use-cases/sign-in-with-password.use-case';

/**
 * RFC 6749 §4.3: username (or email, or phone number) and password. A password that must be
 * changed or has expired still yields tokens, marked `password_change_required` and good only on
 * password-change routes; one about to expire adds `password_expires_at`.
 */
@Injectable()
export class PasswordGrant extends RegisteredGrant {
  readonly grantTypes = ['password'] as const;

  constructor(
    registry: GrantRegistry,
    private readonly tokens: TokenService,
    private readonly applications: ApplicationsService,
    private readonly signIn: SignInWithPasswordUseCase,
  ) {
    super(registry);
  }

  async handle(
    params: Readonly<Record<string, string>>,
    client: Application,
  ): Promise<TokenResponse> {
    if (client.type === 'm2m') throw new IdentityError(IdentityErrorCode.UNAUTHORIZED_CLIENT);
    const clientScopes = this.applications.scopesOf(client);
    // A scope the client may never have is refused before the password is even checked.
    grantedScopes(params.scope, clientScopes);
    const { user, passwordState, passwordExpiresAt } = await this.signIn.execute({
      identifier: { login: requireParam(params, 'username') },
      password: requireParam(params, 'password'),
      clientId: client.clientId,
    });
    return this.tokens.issueForUser(
      user,
      client,
      grantedScopes(params.scope, scopesHeldBy(user, clientScopes)),
      {
        passwordChangeRequired: passwordState === 'must_change' || passwordState === 'expired',
        passwordExpiresAt: passwordState === 'expiring' ? passwordExpiresAt : null,
      },
    );
  }
}
