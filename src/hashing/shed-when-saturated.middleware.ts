import type { NextFunction, Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import type { PasswordHasher } from './password-hasher.service';

/** The OAuth token endpoint, whose password grant runs a bcrypt compare. */
const TOKEN_PATH = '/oauth2/token';

const postPath = (request: Request): string | undefined =>
  request.method === 'POST' ? request.path.toLowerCase().replace(/\/+$/, '') : undefined;

/**
 * While the bcrypt queue is full, refuses at once the requests `wouldHash` picks (SERVICE_BUSY:
 * 503 with Retry-After, in the dialect of the path), before they are routed: a flood then costs a
 * few microseconds per excess request instead of the whole pipeline.
 */
function shedWhen(
  hasher: Pick<PasswordHasher, 'saturated'>,
  wouldHash: (request: Request) => boolean,
) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (hasher.saturated && wouldHash(request)) {
      next(new IdentityError(IdentityErrorCode.SERVICE_BUSY, { retryAfterSeconds: 1 }));
      return;
    }
    next();
  };
}

/**
 * Sign-in routes whose every request runs a bcrypt compare (POST, lower-case `paths`, which the
 * dialects name), before their body is even read. The OAuth token endpoint is not for this one:
 * its grant is known only from the body (`shedPasswordGrantsWhenSaturated`).
 */
export function shedWhenSaturated(
  hasher: Pick<PasswordHasher, 'saturated'>,
  paths: readonly string[],
) {
  const hashing = new Set(paths);
  return shedWhen(hasher, (request) => hashing.has(postPath(request) ?? ''));
}

/**
 * Password grants on the OAuth token endpoint, once the (form) body is parsed and before routing,
 * client authentication and validation; client_credentials and refresh grants pass. A client that
 * would fail authentication gets the 503 too while the queue is full, which tells it nothing.
 */
export const shedPasswordGrantsWhenSaturated = (hasher: Pick<PasswordHasher, 'saturated'>) =>
  shedWhen(
    hasher,
    (request) =>
      (request.body as { grant_type?: unknown } | undefined)?.grant_type === 'password' &&
      postPath(request) === TOKEN_PATH,
  );
