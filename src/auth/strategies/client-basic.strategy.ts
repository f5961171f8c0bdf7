import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { BasicStrategy } from 'passport-http';
import { isConfidential } from '../../applications/application.entity';
import { ApplicationsService } from '../../applications/applications.service';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { CLIENT_AUTHENTICATED_TWICE } from '../../common/errors/invalid-argument-reasons';
import type { ClientPrincipal } from '../principal';
import {
  parseBasicClientCredentials,
  type PresentedClientCredentials,
} from './client-credentials.parser';

export const CLIENT_STRATEGY = 'client';

/**
 * OAuth client authentication: HTTP Basic per RFC 6749 §2.3.1, or `client_id`/`client_secret` in
 * the body; public clients send `client_id` only. passport-http's own Basic parsing splits on
 * every colon and does not form-urldecode, so this strategy reads the header itself.
 */
@Injectable()
export class ClientBasicStrategy extends PassportStrategy(BasicStrategy, CLIENT_STRATEGY) {
  constructor(private readonly applications: ApplicationsService) {
    super({ passReqToCallback: true });
  }

  override authenticate(request: Request): void {
    // passport augments strategies with success/error at run time; the typings omit them.
    const actions = this as unknown as { success(user: unknown): void; error(err: Error): void };
    this.authenticateClient(request).then(
      (principal) => actions.success(principal),
      (error: unknown) =>
        actions.error(error instanceof Error ? error : new Error(String(error), { cause: error })),
    );
  }

  /** Unused: `authenticate` above replaces passport-http's header parsing. */
  validate(): never {
    throw new IdentityError(IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED);
  }

  private async authenticateClient(request: Request): Promise<ClientPrincipal> {
    const presented = presentedCredentials(request);
    if (!presented) throw new IdentityError(IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED);
    const application = await this.applications.authenticateClient(
      presented.clientId,
      presented.clientSecret,
    );
    return {
      kind: 'client',
      clientId: application.clientId,
      scopes: this.applications.scopesOf(application),
      confidential: isConfidential(application.type),
    };
  }
}

function presentedCredentials(request: Request): PresentedClientCredentials | null {
  let fromHeader: PresentedClientCredentials | null;
  try {
    fromHeader = parseBasicClientCredentials(request.headers.authorization);
  } catch {
    throw new IdentityError(IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED);
  }
  const body = (request.body ?? {}) as Record<string, unknown>;
  const bodyId = bodyParameter(body, 'client_id');
  const bodySecret = bodyParameter(body, 'client_secret');
  if (fromHeader) {
    // RFC 6749 §2.3: one method per request; a body client_id that names the same client is tolerated.
    if (bodySecret !== undefined || (bodyId !== undefined && bodyId !== fromHeader.clientId)) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        reason: CLIENT_AUTHENTICATED_TWICE,
      });
    }
    return fromHeader;
  }
  return bodyId ? { clientId: bodyId, clientSecret: bodySecret, source: 'body' } : null;
}

/** A body parameter; one sent without a value counts as omitted (RFC 6749 §3.2). */
function bodyParameter(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
