import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { SECURITY_SCHEMES } from '../../common/http/security-schemes';
import type { AuthScheme } from '../schemes/auth-scheme';

export type { AuthScheme } from '../schemes/auth-scheme';

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

/** OpenAPI security scheme names of the core schemes; any other scheme is documented under its own name. */
const SWAGGER_SCHEME: Partial<Record<AuthScheme, string>> = {
  bearer: SECURITY_SCHEMES.bearer,
  client: SECURITY_SCHEMES.clientBasic,
  'auth-token': SECURITY_SCHEMES.authToken,
  'state-token': SECURITY_SCHEMES.stateToken,
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
    ApiSecurity(SWAGGER_SCHEME[scheme] ?? scheme, options.scopes ?? []),
  );
}
