import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Application } from '../../../applications/application.entity';
import { ApplicationsService } from '../../../applications/applications.service';
import type { ClientPrincipal, UserPrincipal } from '../../../auth/principal';
import {
  AuthSchemeRegistry,
  bearerCredential,
  headerValue,
  RegisteredAuthScheme,
} from '../../../auth/schemes/auth-scheme';
import { StateTokenService } from '../../../auth/tokens/state-token.service';
import { TokenService } from '../../../auth/tokens/token.service';
import { IdentityErrorCode } from '../../../common/errors/identity-error';
import { UsersService } from '../../../users/users.service';
import { idaasSdkError } from '../idaas.errors';

declare module '../../../auth/schemes/auth-scheme' {
  interface AuthSchemes {
    /** IDaaS SDK pre-login routes: device headers and a registered `X-client-id`. */
    'idaas-sdk-app': true;
    /** IDaaS SDK post-login routes: the above, then `Authorization: Bearer {id_token}`. */
    'idaas-sdk-user': true;
    /** The above when an `Authorization` header is sent, else the pre-login checks alone. */
    'idaas-sdk-app-or-user': true;
    /** IDaaS SDK forced change after login: the pre-login checks, then `X-state-token`. */
    'idaas-sdk-state-token': true;
  }
}

/** The device headers every SDK request carries (seed 004's request headers marked "Yes"). */
export const IDAAS_DEVICE_HEADERS = ['X-operating-sys-version', 'X-device-fingerprint', 'X-agent'];

/**
 * The checks every `/api/v2/sdk/*` route makes first, in the vendor's order (seed 004): device
 * headers (`PARAM.0001`), `X-client-id` present (`0002`) and registered (`0003`). Each failure has
 * its own code, so the guard's "missing" test always passes and `authenticate` throws the precise
 * error.
 */
@Injectable()
abstract class IdaasSdkScheme extends RegisteredAuthScheme {
  readonly missingError = IdentityErrorCode.AUTHENTICATION_REQUIRED;

  constructor(
    registry: AuthSchemeRegistry,
    private readonly applications: ApplicationsService,
  ) {
    super(registry);
  }

  isPresented(): boolean {
    return true;
  }

  protected async application(request: Request): Promise<Application> {
    if (IDAAS_DEVICE_HEADERS.some((name) => headerValue(request, name) === ''))
      throw idaasSdkError(IdentityErrorCode.INVALID_ARGUMENT, 'device_info_missing');
    const clientId = headerValue(request, 'x-client-id');
    if (!clientId) throw idaasSdkError(IdentityErrorCode.INVALID_ARGUMENT, 'client_id_missing');
    const application = await this.applications.findByClientId(clientId);
    if (!application)
      throw idaasSdkError(IdentityErrorCode.APPLICATION_NOT_FOUND, 'client_not_registered');
    return application;
  }

  protected clientPrincipal(application: Application): ClientPrincipal {
    return {
      kind: 'client',
      clientId: application.clientId,
      scopes: this.applications.scopesOf(application),
      // The SDK identifies the application by its id alone, as a public client.
      confidential: false,
    };
  }
}

/** Pre-login routes (login, code sends, forgot password): the principal is the application. */
@Injectable()
export class IdaasSdkAppScheme extends IdaasSdkScheme {
  readonly name = 'idaas-sdk-app' as const;

  async authenticate(context: ExecutionContext): Promise<ClientPrincipal> {
    return this.clientPrincipal(await this.application(context.switchToHttp().getRequest()));
  }
}

/**
 * Post-login routes: after the application checks, an ID token issued to that application, with
 * a live session and the user's credentials unchanged since (`PARAM.0015` missing, `0016` not so).
 */
@Injectable()
export class IdaasSdkUserScheme extends IdaasSdkScheme {
  readonly name: 'idaas-sdk-user' | 'idaas-sdk-app-or-user' = 'idaas-sdk-user';

  constructor(
    registry: AuthSchemeRegistry,
    applications: ApplicationsService,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
  ) {
    super(registry, applications);
  }

  async authenticate(context: ExecutionContext): Promise<UserPrincipal | ClientPrincipal> {
    const request = context.switchToHttp().getRequest<Request>();
    const application = await this.application(request);
    return this.user(request, application);
  }

  /**
   * No `Authorization` at all is `0015`; one that is not RFC 6750 `Bearer <token>` (another
   * scheme, `Bearer <token> junk`) is a token sent but invalid, `0016`.
   */
  protected async user(request: Request, application: Application): Promise<UserPrincipal> {
    if (headerValue(request, 'authorization') === '')
      throw idaasSdkError(IdentityErrorCode.AUTHENTICATION_REQUIRED, 'id_token_missing');
    const idToken = bearerCredential(request);
    const found =
      idToken === undefined
        ? undefined
        : await this.tokens.idTokenPrincipal(idToken, application.clientId, (id) =>
            this.users.findById(id),
          );
    if (!found) throw idaasSdkError(IdentityErrorCode.TOKEN_INVALID, 'id_token_invalid');
    return found.principal;
  }
}

/**
 * `update-by-mobile` / `update-by-email`: with `Authorization` the signed-in user's change (the
 * post-login checks), without it a forgotten-password reset (the pre-login checks).
 */
@Injectable()
export class IdaasSdkAppOrUserScheme extends IdaasSdkUserScheme {
  override readonly name = 'idaas-sdk-app-or-user' as const;

  override async authenticate(context: ExecutionContext): Promise<UserPrincipal | ClientPrincipal> {
    const request = context.switchToHttp().getRequest<Request>();
    const application = await this.application(request);
    return headerValue(request, 'authorization') === ''
      ? this.clientPrincipal(application)
      : this.user(request, application);
  }
}

/**
 * `X-state-token` of a login that answered PASSWORD_EXPIRED or PASSWORD_WARN: live, unspent,
 * issued at that application (`X-client-id`), for credentials still current — else `PARAM.0014`.
 * The principal carries the token's digest so the flow that finishes spends it.
 */
@Injectable()
export class IdaasSdkStateTokenScheme extends IdaasSdkScheme {
  readonly name = 'idaas-sdk-state-token' as const;

  constructor(
    registry: AuthSchemeRegistry,
    applications: ApplicationsService,
    private readonly stateTokens: StateTokenService,
    private readonly users: UsersService,
  ) {
    super(registry, applications);
  }

  async authenticate(context: ExecutionContext): Promise<UserPrincipal> {
    const request = context.switchToHttp().getRequest<Request>();
    const application = await this.application(request);
    const principal = await this.stateTokens.principal(
      headerValue(request, 'x-state-token'),
      (id) => this.users.findById(id),
    );
    if (!principal || principal.clientId !== application.clientId)
      throw idaasSdkError(IdentityErrorCode.INVALID_GRANT, 'state_token_invalid');
    return principal;
  }
}
