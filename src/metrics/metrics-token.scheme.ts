import { createHash, timingSafeEqual } from 'node:crypto';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { ClientPrincipal } from '../auth/principal';
import {
  AuthSchemeRegistry,
  bearerCredential,
  headerValue,
  RegisteredAuthScheme,
} from '../auth/schemes/auth-scheme';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';

declare module '../auth/schemes/auth-scheme' {
  interface AuthSchemes {
    /** `Authorization: Bearer <METRICS_TOKEN>` on `GET /metrics`. */
    'metrics-token': true;
  }
}

/** The OpenAPI security scheme of `/metrics` (also the auth scheme's name). */
export const METRICS_TOKEN_SCHEME = 'metrics-token';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Who may read `/metrics` (the Node version, heap, request rates by route): the holder of
 * `METRICS_TOKEN`, compared in constant time. Without one configured, production hides the route
 * (404) and development and test leave it open, so `npm start` needs no set-up.
 */
@Injectable()
export class MetricsTokenScheme extends RegisteredAuthScheme {
  readonly name = METRICS_TOKEN_SCHEME;
  readonly missingError = IdentityErrorCode.AUTHENTICATION_REQUIRED;
  private readonly expected?: Buffer;

  constructor(
    registry: AuthSchemeRegistry,
    private readonly config: AppConfig,
  ) {
    super(registry);
    if (config.metricsToken !== undefined) this.expected = digest(config.metricsToken);
  }

  /** With no token configured there is nothing to present; `authenticate` decides. */
  isPresented(request: Request): boolean {
    return this.expected === undefined || headerValue(request, 'authorization') !== '';
  }

  async authenticate(context: ExecutionContext): Promise<ClientPrincipal> {
    if (this.expected === undefined) {
      if (this.config.isProduction) throw new IdentityError(IdentityErrorCode.NOT_FOUND);
      return SCRAPER;
    }
    const request = context.switchToHttp().getRequest<Request>();
    const presented = bearerCredential(request);
    // Digests have equal lengths, so the compare leaks neither the token nor its length.
    if (presented === undefined || !timingSafeEqual(digest(presented), this.expected)) {
      throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    }
    return SCRAPER;
  }
}

const SCRAPER: ClientPrincipal = {
  kind: 'client',
  clientId: 'metrics-scraper',
  scopes: [],
  confidential: true,
};
