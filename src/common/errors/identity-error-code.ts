/**
 * Every failure the domain can report. Dialect filters map each code to their wire format through
 * a table typed `Record<IdentityErrorCode, …>`, so adding a code here fails to compile until every
 * dialect has decided how to say it.
 */
export enum IdentityErrorCode {
  /** Request body or parameters failed validation; details.fields lists them. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** Body larger than the limit of the route. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /**
   * A body in a media type the route does not parse (`text/plain`, multipart, none at all), which
   * would otherwise reach the controller as an empty object.
   */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** Route exists but not for this HTTP method. */
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  /** No route. */
  NOT_FOUND = 'NOT_FOUND',

  /** No credentials presented where the route requires them. */
  AUTHENTICATION_REQUIRED = 'AUTHENTICATION_REQUIRED',
  /** A token was presented but is malformed, expired, revoked or signed by someone else. */
  TOKEN_INVALID = 'TOKEN_INVALID',
  /** Token is valid but lacks a required scope. */
  INSUFFICIENT_SCOPE = 'INSUFFICIENT_SCOPE',
  /** Token is valid but may only be used to change the password. */
  PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED',
  /** The principal may not act on this resource (e.g. another user's password). */
  FORBIDDEN = 'FORBIDDEN',
  /** Unknown client or wrong client secret. */
  CLIENT_AUTHENTICATION_FAILED = 'CLIENT_AUTHENTICATION_FAILED',
  /** The client may not use this grant or flow. */
  UNAUTHORIZED_CLIENT = 'UNAUTHORIZED_CLIENT',
  UNSUPPORTED_GRANT_TYPE = 'UNSUPPORTED_GRANT_TYPE',
  INVALID_SCOPE = 'INVALID_SCOPE',
  /** Refresh token unknown, expired, revoked or reused. */
  INVALID_GRANT = 'INVALID_GRANT',

  USER_NOT_FOUND = 'USER_NOT_FOUND',
  USER_FROZEN = 'USER_FROZEN',
  USER_LOCKED = 'USER_LOCKED',
  /** Login with unknown user or wrong password (deliberately indistinguishable). */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  /** The current password given to a change flow is wrong. */
  WRONG_PASSWORD = 'WRONG_PASSWORD',
  /** The change flow needs the current password and none was given. */
  CURRENT_PASSWORD_REQUIRED = 'CURRENT_PASSWORD_REQUIRED',
  /**
   * The new password breaks the policy; details.violations is every `PolicyViolation`
   * (`length`, …, `history`, `same_as_current`, `min_age`). Dialects that answer with one code
   * pick the first in the order of API.md §4 (`firstViolation`).
   */
  PASSWORD_POLICY_VIOLATION = 'PASSWORD_POLICY_VIOLATION',

  /** Unique username, email or phone number taken, or a concurrent write won. */
  CONFLICT = 'CONFLICT',

  /** OTP token unknown, expired, used, dead, or bound to another client/target/usage. */
  OTP_TOKEN_INVALID = 'OTP_TOKEN_INVALID',
  /** OTP code does not match. */
  OTP_CODE_INVALID = 'OTP_CODE_INVALID',
  /** Too many sends for this target; details.retryAfterSeconds. */
  OTP_RATE_LIMITED = 'OTP_RATE_LIMITED',

  APPLICATION_NOT_FOUND = 'APPLICATION_NOT_FOUND',

  /**
   * Too many sign-ins, password changes, resets or code sends from one client IP or for one
   * account in the rate-limit window; details.retryAfterSeconds.
   */
  RATE_LIMITED = 'RATE_LIMITED',

  /**
   * Password hashing queue full, or the database unreachable or not answering in time;
   * details.retryAfterSeconds.
   */
  SERVICE_BUSY = 'SERVICE_BUSY',
  INTERNAL = 'INTERNAL',
}
