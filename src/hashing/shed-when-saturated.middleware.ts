import type { NextFunction, Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import type { PasswordHasher } from './password-hasher.service';

/**
 * Sign-in routes whose every request runs a bcrypt compare (method, lower-case path). The OAuth
 * token endpoint is not among them: its grant is known only from the body, and client_credentials
 * and refresh grants must keep working while password sign-ins are shed
 * (`shedPasswordGrantsWhenSaturated` takes it once the body is parsed).
 */
export const ALWAYS_HASHING_ROUTES: ReadonlyArray<readonly [method: string, path: string]> = [
  ['POST', '/v3/auth/tokens'],
  ['POST', '/api/v2/sdk/login'],
];

/**
 * Refuses a sign-in at once, before its body is read or it is routed, when the bcrypt queue is
 * full (SERVICE_BUSY: 503 with Retry-After, in the dialect of the path). A flood then costs a
 * few microseconds per excess request instead of the whole pipeline, and probes stay fast.
 */
export function shedWhenSaturated(hasher: Pick<PasswordHasher, 'saturated'>) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (hasher.saturated && request.method === 'POST') {
      const path = request.path.toLowerCase().replace(/\/+$/, '');
      if (ALWAYS_HASHING_ROUTES.some(([method, route]) => method === 'POST' && route === path)) {
        next(new IdentityError(IdentityErrorCode.SERVICE_BUSY, { retryAfterSeconds: 1 }));
        return;
      }
    }
    next();
  };
}

/** The OAuth token endpoint, whose password grant runs a bcrypt compare. */
const TOKEN_PATH = '/oauth2/token';

/**
 * The same for password grants on the OAuth token endpoint, once the (form) body is parsed and
 * before routing, client authentication and validation: a flood of password grants is then
 * refused for the price of parsing its small body, and client_credentials and refresh grants
 * pass. A client that would fail authentication is refused with the 503 too while the queue is
 * full, which tells it nothing.
 */
export function shedPasswordGrantsWhenSaturated(hasher: Pick<PasswordHasher, 'saturated'>) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (
      hasher.saturated &&
      request.method === 'POST' &&
      (request.body as { grant_type?: unknown } | undefined)?.grant_type === 'password' &&
      request.path.toLowerCase().replace(/\/+$/, '') === TOKEN_PATH
    ) {
      next(new IdentityError(IdentityErrorCode.SERVICE_BUSY, { retryAfterSeconds: 1 }));
      return;
    }
    next();
  };
}
