import { type IdentityErrorCode } from '../../common/errors/identity-error-code';
import type { ViolationMessages } from '../../common/i18n/violation-messages';
import type { PolicyRuleId } from '../../policy/password-policy.types';

/** Huawei IAM's own error codes (API.md §3); every other error is Keystone's numeric form. */
export type HuaweiIamCode = '1100' | '1103' | '1108' | '1118';

/**
 * The `title` of a Keystone error body: the reason phrase of its status, as Keystone (WebOb)
 * prints it, so it does not follow Node's renamings (413 is "Payload Too Large" there).
 */
export const HUAWEI_STATUS_TITLES = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;
export type HuaweiStatus = keyof typeof HUAWEI_STATUS_TITLES;

export interface HuaweiWireError {
  status: HuaweiStatus;
  /** Set where an IAM code applies; the body then also carries `error_code` / `error_msg`. */
  iamCode?: HuaweiIamCode;
  message: string;
}

const AUTHENTICATION = 'The request you have made requires authentication.';
const FORBIDDEN = 'You are not authorized to perform the requested action.';

/**
 * Huawei Cloud IAM's wording of every domain error (seed 003, API.md §3–§4). Statuses follow seed
 * 003's list; messages are Keystone's where Keystone has one for the case, else Tessera's. A new
 * IdentityErrorCode fails to compile until it is mapped.
 */
export const HUAWEI_ERRORS = {
  INVALID_ARGUMENT: { status: 400, iamCode: '1100', message: 'Missing or invalid parameter.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request is too large.' },
  // Tessera's wording; the status and title are Keystone's numeric form (issue 10).
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'The request body must be application/json.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: 'The method is not allowed for the requested URL.',
  },
  NOT_FOUND: { status: 404, message: 'The resource could not be found.' },
  AUTHENTICATION_REQUIRED: { status: 401, message: AUTHENTICATION },
  TOKEN_INVALID: { status: 401, message: AUTHENTICATION },
  INSUFFICIENT_SCOPE: { status: 403, message: FORBIDDEN },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    message: 'The password is expired and needs to be changed.',
  },
  FORBIDDEN: { status: 403, message: FORBIDDEN },
  CLIENT_AUTHENTICATION_FAILED: { status: 401, message: AUTHENTICATION },
  UNAUTHORIZED_CLIENT: { status: 403, message: FORBIDDEN },
  UNSUPPORTED_GRANT_TYPE: {
    status: 401,
    message: 'Attempted to authenticate with an unsupported method.',
  },
  INVALID_SCOPE: { status: 401, message: AUTHENTICATION },
  INVALID_GRANT: { status: 401, message: AUTHENTICATION },
  USER_NOT_FOUND: { status: 404, message: 'Could not find the user.' },
  USER_FROZEN: { status: 403, message: 'The account is disabled.' },
  USER_LOCKED: { status: 403, message: 'The account is locked.' },
  // Sign-in: one answer for an unknown user and a wrong password (API.md §4).
  INVALID_CREDENTIALS: { status: 401, message: AUTHENTICATION },
  WRONG_PASSWORD: { status: 401, message: 'The original password is incorrect.' },
  CURRENT_PASSWORD_REQUIRED: {
    status: 400,
    iamCode: '1100',
    message: 'Missing parameter: original_password.',
  },
  // Refined by the first violation (HUAWEI_VIOLATION_CODES / HUAWEI_VIOLATION_MESSAGES).
  PASSWORD_POLICY_VIOLATION: {
    status: 400,
    iamCode: '1103',
    message: 'The password does not meet the password policy.',
  },
  CONFLICT: { status: 409, message: 'Conflict occurred attempting to store the resource.' },
  // Huawei has no one-time codes; these never arise on /v3 but must be worded.
  OTP_TOKEN_INVALID: { status: 400, message: 'The verification code is invalid or expired.' },
  OTP_CODE_INVALID: { status: 400, message: 'The verification code is invalid or expired.' },
  OTP_RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  APPLICATION_NOT_FOUND: { status: 404, message: 'Could not find the application.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  SERVICE_BUSY: { status: 503, message: 'The service is temporarily unavailable; retry later.' },
  INTERNAL: {
    status: 500,
    message: 'An unexpected error prevented the server from fulfilling your request.',
  },
} as const satisfies Record<IdentityErrorCode, HuaweiWireError>;

/**
 * The order in which Huawei reports the first broken rule: API.md §4's, except that a common
 * password is reported before the other content rules, so a weak password always gets `1118`
 * (issue 8: "policy (`1118` for a common password, else `1103`)").
 */
export const HUAWEI_VIOLATION_ORDER: readonly PolicyRuleId[] = [
  'same_as_current',
  'min_age',
  'common_password',
  'length',
  'character_classes',
  'username',
  'personal_info',
  'repeated_chars',
  'history',
];

/** API.md §4: `1108` new = old, `1118` weak password, `1103` every other policy failure. */
export const HUAWEI_VIOLATION_CODES = {
  same_as_current: '1108',
  min_age: '1103',
  length: '1103',
  character_classes: '1103',
  username: '1103',
  personal_info: '1103',
  repeated_chars: '1103',
  common_password: '1118',
  history: '1103',
} as const satisfies Record<PolicyRuleId, HuaweiIamCode>;

const minutes = (n: number): string => (n === 1 ? '1 minute' : `${n} minutes`);

/**
 * English messages of the policy violations, in the words of seed 003's password requirements
 * where it has them; Huawei IAM documents no wording of its own for these codes.
 */
export const HUAWEI_VIOLATION_MESSAGES: ViolationMessages = {
  same_as_current: () => 'The new password cannot be the same as the original password.',
  min_age: (p) =>
    `The password was changed less than ${minutes(p.minutes)} ago; try again in ` +
    `${minutes(Math.max(1, Math.ceil(p.retry_after_seconds / 60)))}.`,
  length: (p) =>
    p.max_bytes === undefined
      ? `The password must contain ${p.min} to ${p.max} characters.`
      : `The password must contain ${p.min} to ${p.max} characters and at most ${p.max_bytes} bytes in UTF-8.`,
  character_classes: (p) =>
    `The password must contain at least ${p.min} of the following character types: uppercase ` +
    'letters, lowercase letters, digits, and special characters.',
  username: () => 'The password cannot be the username or the username spelled backwards.',
  personal_info: () =>
    "The password cannot contain the user's name, mobile phone number or email address.",
  repeated_chars: (p) =>
    `The password cannot contain more than ${p.max} identical characters in a row.`,
  common_password: () => 'The password is too weak.',
  history: (p) => `The password cannot be the same as any of the last ${p.count} passwords.`,
};

/**
 * Huawei's `/v3.0` routes (the account security policies) answer `{"error_msg","error_code"}`
 * with an `IAM.xxxx` code. Huawei documents no table of them for these routes; these are Tessera's,
 * in Huawei's style, one per status.
 */
export const HUAWEI_V3_0_CODES = {
  400: 'IAM.0001',
  401: 'IAM.0002',
  403: 'IAM.0003',
  404: 'IAM.0004',
  405: 'IAM.0005',
  409: 'IAM.0009',
  413: 'IAM.0013',
  415: 'IAM.0015',
  429: 'IAM.0029',
  500: 'IAM.0500',
  503: 'IAM.0503',
} as const satisfies Record<HuaweiStatus, string>;
