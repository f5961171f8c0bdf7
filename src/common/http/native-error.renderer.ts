import type { Request } from 'express';
import { type IdentityError, IdentityErrorCode } from '../errors/identity-error';
import { invalidArgumentDescription } from '../errors/invalid-argument-reasons';
import { DialectErrorRenderer, type WireError } from './dialect-error.renderer';
import { NATIVE_ERRORS } from './native-errors';

/**
 * The native API's errors (API.md §2): `{error, error_description}` plus every policy violation
 * and every invalid field, RFC 6749/6750 challenges where those RFCs want one.
 */
export class NativeErrorRenderer extends DialectErrorRenderer {
  readonly dialect = 'native';

  protected toWire(error: IdentityError, _request: Request): WireError {
    const wire = NATIVE_ERRORS[error.code];
    const body: Record<string, unknown> = {
      error: wire.error,
      error_description:
        (error.code === IdentityErrorCode.INVALID_ARGUMENT
          ? invalidArgumentDescription(error.details)
          : undefined) ?? wire.description,
    };
    const { violations, fields } = error.details;
    if (Array.isArray(violations)) body.violations = violations;
    if (Array.isArray(fields)) body.fields = fields;
    return { status: wire.status, body, headers: nativeHeaders(error.code) };
  }
}

/** The protection space of every native challenge (RFC 7235 §2.2), Basic and Bearer alike. */
const REALM = 'realm="tessera"';

/**
 * RFC 6750 §3: a request without credentials gets a bare `Bearer realm=…` challenge (§3.1: no
 * error code when it lacks any authentication information); a refused token names its error.
 */
function nativeHeaders(code: IdentityErrorCode): Record<string, string> {
  const headers: Record<string, string> = {};
  if (code === IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED) {
    headers['WWW-Authenticate'] = `Basic ${REALM}, charset="UTF-8"`;
  }
  if (code === IdentityErrorCode.TOKEN_INVALID)
    headers['WWW-Authenticate'] = `Bearer ${REALM}, error="invalid_token"`;
  if (code === IdentityErrorCode.AUTHENTICATION_REQUIRED)
    headers['WWW-Authenticate'] = `Bearer ${REALM}`;
  if (code === IdentityErrorCode.INSUFFICIENT_SCOPE) {
    headers['WWW-Authenticate'] = `Bearer ${REALM}, error="insufficient_scope"`;
  }
  if (code === IdentityErrorCode.INVALID_GRANT || code === IdentityErrorCode.INVALID_CREDENTIALS) {
    headers['Cache-Control'] = 'no-store';
  }
  return headers;
}
