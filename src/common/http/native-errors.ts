import { type IdentityErrorCode } from '../errors/identity-error-code';

export interface NativeWireError {
  status: number;
  error: string;
  description: string;
}

/**
 * The native API's wording of every domain error: RFC 6749 §5.2 codes on the token endpoint,
 * RFC 6750 on bearer-protected routes, `{error, error_description}` elsewhere (API.md §2).
 */
export const NATIVE_ERRORS = {
  INVALID_ARGUMENT: {
    status: 400,
    error: 'invalid_request',
    description: 'The request is malformed or has invalid parameters.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    description: 'The request body is too large.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    description: 'The request body must be sent in a supported content type.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    error: 'method_not_allowed',
    description: 'The method is not allowed on this resource.',
  },
  NOT_FOUND: { status: 404, error: 'not_found', description: 'No such resource.' },
  AUTHENTICATION_REQUIRED: {
    status: 401,
    error: 'invalid_request',
    description: 'Authentication is required.',
  },
  TOKEN_INVALID: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is invalid, expired or revoked.',
  },
  INSUFFICIENT_SCOPE: {
    status: 403,
    error: 'insufficient_scope',
    description: 'The access token lacks the required scope.',
  },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    error: 'password_change_required',
    description: 'The password must be changed before this token can be used here.',
  },
  FORBIDDEN: { status: 403, error: 'access_denied', description: 'Access denied.' },
  CLIENT_AUTHENTICATION_FAILED: {
    status: 401,
    error: 'invalid_client',
    description: 'Client authentication failed.',
  },
  UNAUTHORIZED_CLIENT: {
    status: 400,
    error: 'unauthorized_client',
    description: 'The client may not use this grant type.',
  },
  UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    error: 'unsupported_grant_type',
    description: 'The grant type is not supported.',
  },
  INVALID_SCOPE: {
    status: 400,
    error: 'invalid_scope',
    description: 'The requested scope is invalid or exceeds what the client may be granted.',
  },
  INVALID_GRANT: {
    status: 400,
    error: 'invalid_grant',
    description: 'The grant is invalid, expired or revoked.',
  },
  USER_NOT_FOUND: { status: 404, error: 'user_not_found', description: 'No such user.' },
  // A proven caller whose account is frozen or locked (sign-in itself answers invalid_grant).
  USER_FROZEN: { status: 403, error: 'user_frozen', description: 'The user is frozen.' },
  USER_LOCKED: { status: 403, error: 'user_locked', description: 'The user is locked.' },
  INVALID_CREDENTIALS: {
    status: 400,
    error: 'invalid_grant',
    description: 'Invalid username or password.',
  },
  WRONG_PASSWORD: {
    status: 400,
    error: 'wrong_password',
    description: 'The current password is incorrect.',
  },
  CURRENT_PASSWORD_REQUIRED: {
    status: 400,
    error: 'invalid_request',
    description: 'The current password is required.',
  },
  PASSWORD_POLICY_VIOLATION: {
    status: 400,
    error: 'invalid_new_password',
    description: 'The new password does not satisfy the password policy.',
  },
  CONFLICT: {
    status: 409,
    error: 'conflict',
    description: 'The resource conflicts with an existing one or was changed concurrently.',
  },
  OTP_TOKEN_INVALID: {
    status: 400,
    error: 'invalid_otp_token',
    description: 'The one-time code token is invalid or expired.',
  },
  OTP_CODE_INVALID: {
    status: 400,
    error: 'invalid_otp',
    description: 'The one-time code is incorrect or expired.',
  },
  OTP_RATE_LIMITED: {
    status: 429,
    error: 'slow_down',
    description: 'Too many codes sent; try again later.',
  },
  APPLICATION_NOT_FOUND: {
    status: 404,
    error: 'application_not_found',
    description: 'No such application.',
  },
  RATE_LIMITED: {
    status: 429,
    error: 'too_many_requests',
    description: 'Too many requests; retry later.',
  },
  SERVICE_BUSY: {
    status: 503,
    error: 'temporarily_unavailable',
    description: 'The service is busy; retry later.',
  },
  INTERNAL: { status: 500, error: 'server_error', description: 'Internal server error.' },
} as const satisfies Record<IdentityErrorCode, NativeWireError>;
