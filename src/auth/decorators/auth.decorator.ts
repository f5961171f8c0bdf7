import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { IdentityErrorCode } from '../../common/errors/identity-error-code';
import { ApiErrors } from '../../common/http/api-errors.decorator';
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

/** What a user's credential may fail with, in the guard's order; every check reads the database. */
const USER_CREDENTIAL_ERRORS = [
  IdentityErrorCode.AUTHENTICATION_REQUIRED,
  IdentityErrorCode.TOKEN_INVALID,
  IdentityErrorCode.USER_FROZEN,
  IdentityErrorCode.USER_LOCKED,
  IdentityErrorCode.SERVICE_BUSY,
];

/** The errors of the core schemes; a dialect's own scheme declares its errors with `ApiErrors`. */
const SCHEME_ERRORS: Partial<Record<AuthScheme, IdentityErrorCode[]>> = {
  bearer: USER_CREDENTIAL_ERRORS,
  'auth-token': USER_CREDENTIAL_ERRORS,
  'state-token': USER_CREDENTIAL_ERRORS,
  client: [
    IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED,
    IdentityErrorCode.INVALID_ARGUMENT,
    IdentityErrorCode.SERVICE_BUSY,
  ],
};

/**
 * Requires authentication by `scheme` and writes the matching Swagger security entry and the
 * answers the guard may give (401, 403, 503, in the route's dialect), so the docs cannot drift
 * from the code. The global guard denies every route that has neither `@Auth` nor `@Public`.
 * OpenAPI 3.0 lists scopes only for OAuth2 schemes: the required scopes are documented on the
 * 403 answer instead.
 */
export function Auth(
  scheme: AuthScheme,
  options: AuthOptions = {},
): MethodDecorator & ClassDecorator {
  const requirement: AuthRequirement = { scheme, ...options };
  const codes = [...(SCHEME_ERRORS[scheme] ?? [])];
  if (options.scopes?.length) codes.push(IdentityErrorCode.INSUFFICIENT_SCOPE);
  if (SCHEME_ERRORS[scheme] === USER_CREDENTIAL_ERRORS && !options.allowPasswordChangeRequired)
    codes.push(IdentityErrorCode.PASSWORD_CHANGE_REQUIRED);
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT_KEY, requirement),
    ApiSecurity(SWAGGER_SCHEME[scheme] ?? scheme),
    // A client may authenticate in the body instead (client_id, and client_secret unless public),
    // which OpenAPI cannot name as a scheme: the alternative is "no HTTP credential".
    ...(scheme === 'client' ? [ApiSecurity({})] : []),
    ApiErrors({ codes, scopes: options.scopes ?? [] }),
  );
}
