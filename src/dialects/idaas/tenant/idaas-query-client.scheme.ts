import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApplicationsService } from '../../../applications/applications.service';
import type { ClientPrincipal } from '../../../auth/principal';
import { AuthSchemeRegistry, RegisteredAuthScheme } from '../../../auth/schemes/auth-scheme';
import { IdentityError, IdentityErrorCode } from '../../../common/errors/identity-error';

declare module '../../../auth/schemes/auth-scheme' {
  interface AuthSchemes {
    /** IDaaS tenant token endpoint: `client_id` and `client_secret` in the query string. */
    'idaas-query-client': true;
  }
}

/** A query parameter given once, trimmed; '' when absent, repeated or structured. */
export function queryValue(request: Request, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Client authentication by `?client_id=…&client_secret=…`, as the IDaaS tenant token endpoint
 * takes it (API.md §3). Only an `m2m` application qualifies: the tenant API manages users, and a
 * public client (authenticated by its id alone) or a web application must never get there. The
 * request log drops query strings, so the secret is not logged.
 */
@Injectable()
export class IdaasQueryClientScheme extends RegisteredAuthScheme {
  readonly name = 'idaas-query-client' as const;
  readonly missingError = IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED;

  constructor(
    registry: AuthSchemeRegistry,
    private readonly applications: ApplicationsService,
  ) {
    super(registry);
  }

  isPresented(request: Request): boolean {
    return queryValue(request, 'client_id') !== '';
  }

  async authenticate(context: ExecutionContext): Promise<ClientPrincipal> {
    const request = context.switchToHttp().getRequest<Request>();
    const secret = queryValue(request, 'client_secret');
    const application = await this.applications.authenticateClient(
      queryValue(request, 'client_id'),
      secret === '' ? undefined : secret,
    );
    if (application.type !== 'm2m') throw new IdentityError(IdentityErrorCode.UNAUTHORIZED_CLIENT);
    return {
      kind: 'client',
      clientId: application.clientId,
      scopes: this.applications.scopesOf(application),
      confidential: true,
    };
  }
}
