import { type ExecutionContext, Injectable, type OnModuleInit } from '@nestjs/common';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { IdentityError, type IdentityErrorCode } from '../../common/errors/identity-error';
import { databaseUnavailability } from '../../common/errors/database-unavailability';
import type { Principal } from '../principal';

/**
 * The names of the auth schemes routes may require. A dialect adds its own by augmenting this
 * interface (`declare module '…/auth-scheme' { interface AuthSchemes { 'my-scheme': true } }`) and
 * registering a handler, without editing the guard.
 */
export interface AuthSchemes {
  /** JWT access token in `Authorization: Bearer`. */
  bearer: true;
  /** OAuth client authentication: HTTP Basic (RFC 6749 §2.3.1) or client_id/client_secret in the body. */
  client: true;
  /** Opaque token in `X-Auth-Token` (Keystone style). */
  'auth-token': true;
  /** Single-use state token of a forced password change in `X-State-Token`. */
  'state-token': true;
}
export type AuthScheme = keyof AuthSchemes;

/** One way of proving who the caller is. */
export interface AuthSchemeHandler {
  readonly name: AuthScheme;
  /** The failure when the request does not carry this scheme's credential at all. */
  readonly missingError: IdentityErrorCode;
  /** Whether the request carries the credential, read from the request itself (missing vs. invalid). */
  isPresented(request: Request): boolean;
  /** The caller; throws an IdentityError when the credential is invalid. */
  authenticate(context: ExecutionContext): Promise<Principal>;
}

/** The schemes the global guard knows; modules add theirs at start. */
@Injectable()
export class AuthSchemeRegistry {
  private readonly handlers = new Map<AuthScheme, AuthSchemeHandler>();

  register(handler: AuthSchemeHandler): void {
    if (this.handlers.has(handler.name))
      throw new Error(`Auth scheme registered twice: ${handler.name}`);
    this.handlers.set(handler.name, handler);
  }

  resolve(name: AuthScheme): AuthSchemeHandler {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`Route requires an unregistered auth scheme: ${name}`);
    return handler;
  }
}

/** A scheme that adds itself to the registry at start. */
export abstract class RegisteredAuthScheme implements AuthSchemeHandler, OnModuleInit {
  abstract readonly name: AuthScheme;
  abstract readonly missingError: IdentityErrorCode;

  constructor(private readonly registry: AuthSchemeRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract isPresented(request: Request): boolean;
  abstract authenticate(context: ExecutionContext): Promise<Principal>;
}

/** A scheme whose credential is checked by a Passport strategy; its failures become `invalidError`. */
export abstract class PassportAuthScheme extends RegisteredAuthScheme {
  private readonly guard: IAuthGuard;

  constructor(registry: AuthSchemeRegistry, strategy: string, invalidError: IdentityErrorCode) {
    super(registry);
    class SchemeGuard extends AuthGuard(strategy) {
      override handleRequest<TUser>(
        error: unknown,
        principal: TUser | false,
        info: unknown,
      ): TUser {
        // A key or user lookup that failed because the database is away is an outage (503), not
        // a bad credential.
        for (const failure of [error, info])
          if (databaseUnavailability(failure) !== undefined) throw failure;
        if (error instanceof IdentityError) throw error;
        if (info instanceof IdentityError) throw info;
        if (error instanceof Error) throw error;
        if (error) throw new IdentityError(invalidError);
        if (!principal) throw new IdentityError(invalidError);
        return principal;
      }
    }
    this.guard = new SchemeGuard();
  }

  async authenticate(context: ExecutionContext): Promise<Principal> {
    await this.guard.canActivate(context);
    const principal = context.switchToHttp().getRequest<Request & { user?: Principal }>().user;
    if (!principal) throw new IdentityError(this.missingError);
    return principal;
  }
}

/** The value of a request header, trimmed; '' when absent or repeated. */
export function headerValue(request: Request, name: string): string {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * RFC 6750 §2.1: `Bearer` 1*SP b64token, and nothing after it. The one reading of a bearer
 * credential in the service, so no route is looser than another.
 */
const BEARER_CREDENTIALS = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of `Authorization: Bearer <token>`, strictly as RFC 6750 §2.1 writes it; undefined
 * when the header is absent or anything else (`Bearer <token> junk`, a tab, another scheme).
 */
export function bearerCredential(request: Request): string | undefined {
  return BEARER_CREDENTIALS.exec(headerValue(request, 'authorization'))?.[1];
}
