import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { SECURITY_SCHEMES } from '../../common/http/security-schemes';

/**
 * `bearer`: JWT access token (`Authorization: Bearer`). `client`: OAuth client authentication,
 * HTTP Basic (RFC 6749 §2.3.1) or `client_id`/`client_secret` in the body; public clients send
 * `client_id` only. `auth-token`: opaque token in `X-Auth-Token`.
 */
export type AuthScheme = 'bearer' | 'client' | 'auth-token';

export interface AuthOptions {
  /** Every one of these scopes must have been granted. */
  scopes?: string[];
  /** Accept tokens marked `password_change_required` (password-change routes only). */
  allowPasswordChangeRequired?: boolean;
}

export interface AuthRequirement extends AuthOptions {
  scheme: AuthScheme;
}

export const AUTH_REQUIREMENT_KEY = 'tessera:auth';

const SWAGGER_SCHEME: Record<AuthScheme, string> = {
  bearer: SECURITY_SCHEMES.bearer,
  client: SECURITY_SCHEMES.clientBasic,
  'auth-token': SECURITY_SCHEMES.authToken,
};

/**
 * Requires authentication by `scheme` and writes the matching Swagger security entry, so the docs
 * cannot drift from the code. The global guard denies every route that has neither `@Auth` nor
 * `@Public`.
 */
export function Auth(
  scheme: AuthScheme,
  options: AuthOptions = {},
): MethodDecorator & ClassDecorator {
  const requirement: AuthRequirement = { scheme, ...options };
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT_KEY, requirement),
    ApiSecurity(SWAGGER_SCHEME[scheme], options.scopes ?? []),
  );
}
