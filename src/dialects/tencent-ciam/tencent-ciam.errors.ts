import { type IdentityErrorCode } from '../../common/errors/identity-error-code';
import type { PolicyRuleId } from '../../policy/password-policy.types';

export interface TencentWireError {
  status: number;
  error: string;
  error_description?: string;
  /** RFC 6750 `WWW-Authenticate` challenge, exactly as seed 000 prints it. */
  bearerChallenge?: string;
}

const RFC6750_URI = 'https://tools.ietf.org/html/rfc6750#section-3.1';
const bearer = (error: string, description: string): string =>
  `Bearer error="${error}", error_description="${description}", error_uri="${RFC6750_URI}"`;

/**
 * Tencent Cloud CIAM's wording of every domain error (seeds 000 and 001, API.md §3–§4). OAuth-style
 * codes where the seeds are silent. A new IdentityErrorCode fails to compile until it is mapped.
 */
export const TENCENT_ERRORS = {
  INVALID_ARGUMENT: { status: 400, error: 'invalid_request' },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    error: 'invalid_request',
    error_description: 'Request body too large.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    error: 'invalid_request',
    error_description: 'Content-Type must be application/json.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    error: 'invalid_request',
    error_description: 'Method not allowed.',
  },
  NOT_FOUND: { status: 404, error: 'not_found' },
  AUTHENTICATION_REQUIRED: {
    status: 400,
    error: 'invalid_request',
    error_description: 'Bearer token not found in the request',
    bearerChallenge: bearer('invalid_request', 'Bearer token not found in the request'),
  },
  TOKEN_INVALID: {
    status: 401,
    error: 'invalid_token',
    error_description: 'Error decoding JWT',
    bearerChallenge: bearer('invalid_token', 'Error decoding JWT'),
  },
  INSUFFICIENT_SCOPE: {
    status: 403,
    error: 'insufficient_scope',
    error_description: 'The request requires higher privileges than provided by the access token.',
    bearerChallenge: bearer(
      'insufficient_scope',
      'The request requires higher privileges than provided by the access token.',
    ),
  },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    error: 'insufficient_scope',
    error_description: 'The password must be changed first.',
    bearerChallenge: bearer('insufficient_scope', 'The password must be changed first.'),
  },
  FORBIDDEN: { status: 403, error: 'access_denied' },
  CLIENT_AUTHENTICATION_FAILED: { status: 401, error: 'invalid_client' },
  UNAUTHORIZED_CLIENT: { status: 400, error: 'unauthorized_client' },
  UNSUPPORTED_GRANT_TYPE: { status: 400, error: 'unsupported_grant_type' },
  INVALID_SCOPE: { status: 400, error: 'invalid_scope' },
  INVALID_GRANT: { status: 400, error: 'invalid_grant' },
  USER_NOT_FOUND: { status: 400, error: 'user_not_found' },
  USER_FROZEN: { status: 400, error: 'abnormal_user_status', error_description: 'User is frozen.' },
  USER_LOCKED: { status: 400, error: 'abnormal_user_status', error_description: 'User is locked.' },
  INVALID_CREDENTIALS: { status: 400, error: 'invalid_grant' },
  WRONG_PASSWORD: { status: 400, error: 'wrong_old_password' },
  CURRENT_PASSWORD_REQUIRED: { status: 400, error: 'wrong_old_password' },
  // Refined by the first violation (TENCENT_VIOLATION_ERRORS).
  PASSWORD_POLICY_VIOLATION: { status: 400, error: 'invalid_new_password' },
  CONFLICT: {
    status: 409,
    error: 'conflict',
    error_description: 'The user was changed concurrently; retry.',
  },
  // Email wording; the phone twins come from TENCENT_OTP_ERRORS_BY_CHANNEL.
  OTP_TOKEN_INVALID: { status: 400, error: 'bad_email_otp_token' },
  OTP_CODE_INVALID: { status: 400, error: 'bad_email_otp' },
  OTP_RATE_LIMITED: {
    status: 429,
    error: 'too_many_requests',
    error_description: 'A code was sent recently; retry later.',
  },
  APPLICATION_NOT_FOUND: { status: 401, error: 'invalid_client' },
  // The wording of the OTP send throttle above (API.md §3 fixes no other 429).
  RATE_LIMITED: {
    status: 429,
    error: 'too_many_requests',
    error_description: 'Too many requests; retry later.',
  },
  SERVICE_BUSY: { status: 503, error: 'temporarily_unavailable' },
  INTERNAL: { status: 500, error: 'server_error' },
} as const satisfies Record<IdentityErrorCode, TencentWireError>;

/** Seed 000/001: duplicate and history have their own codes; every other rule is invalid_new_password. */
export const TENCENT_VIOLATION_ERRORS = {
  same_as_current: 'duplicate_password',
  history: 'recurrent_password',
  min_age: 'invalid_new_password',
  length: 'invalid_new_password',
  character_classes: 'invalid_new_password',
  username: 'invalid_new_password',
  personal_info: 'invalid_new_password',
  repeated_chars: 'invalid_new_password',
  common_password: 'invalid_new_password',
} as const satisfies Record<PolicyRuleId, string>;

/** Seed 001 names OTP errors after the field: `bad_email_otp*` or `bad_phone_number_otp*`. */
export const TENCENT_OTP_ERRORS_BY_CHANNEL = {
  email: { OTP_TOKEN_INVALID: 'bad_email_otp_token', OTP_CODE_INVALID: 'bad_email_otp' },
  sms: {
    OTP_TOKEN_INVALID: 'bad_phone_number_otp_token',
    OTP_CODE_INVALID: 'bad_phone_number_otp',
  },
} as const;

export const TENCENT_CONTENT_TYPE = 'application/json;charset=UTF-8';
