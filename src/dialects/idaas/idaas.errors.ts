import { type IdentityErrorCode } from '../../common/errors/identity-error-code';

/**
 * IDaaS answers every error with HTTP 400 (seeds 002 and 004); Tessera keeps the status only where
 * the protocol needs it (no route, wrong method, body too large, server failure).
 */
export type IdaasStatus = 400 | 404 | 405 | 413 | 500 | 503;

/**
 * One IDaaS error: the vendor's `{error_code, error_msg}`, or, on the tenant API's token checks,
 * the OAuth-style `{"error":"invalid_token","error_description":"Invalid access"}` of API.md §3.
 */
export type IdaasErrorEntry =
  | { status: IdaasStatus; code: string; message: string }
  | { status: 400; oauthError: 'invalid_token'; description: 'Invalid access' };

const INVALID_ACCESS = {
  status: 400,
  oauthError: 'invalid_token',
  description: 'Invalid access',
} as const;

/**
 * Codes shared by both APIs for what fails before a route is reached. The vendor documents none;
 * these are Tessera's, in the vendor's style, numbered after the HTTP status.
 */
const COMMON = {
  PAYLOAD_TOO_LARGE: { status: 413, code: 'IDAAS.COMMON.0413', message: 'Request body too large' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    code: 'IDAAS.COMMON.0405',
    message: 'Request method not supported',
  },
  NOT_FOUND: { status: 404, code: 'IDAAS.COMMON.0404', message: 'Resource not found' },
  SERVICE_BUSY: {
    status: 503,
    code: 'IDAAS.COMMON.0503',
    message: 'Service is busy, please try again later',
  },
  INTERNAL: { status: 500, code: 'IDAAS.COMMON.0500', message: 'Internal server error' },
} as const satisfies Partial<Record<IdentityErrorCode, IdaasErrorEntry>>;

/**
 * The SDK API (seed 004, API.md §3–§4). Codes the seed or API.md gives are the vendor's; every
 * other one is marked "Tessera's" and follows the vendor's `IDAAS.SDK.<AREA>.<NNNN>` style. Policy
 * violations are refined by `IDAAS_VIOLATION_CODES` (idaas-violation.messages.ts).
 */
export const IDAAS_SDK_ERRORS = {
  ...COMMON,
  // Tessera's: the vendor has a PARAM code per missing field; controllers may throw those.
  INVALID_ARGUMENT: {
    status: 400,
    code: 'IDAAS.SDK.COMMON.0001',
    message: 'Invalid request parameter',
  },
  AUTHENTICATION_REQUIRED: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0015',
    message: 'IdToken cannot be empty',
  },
  TOKEN_INVALID: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0016',
    message: 'IdToken is invalid or expired',
  },
  INSUFFICIENT_SCOPE: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0016',
    message: 'IdToken is invalid or expired',
  },
  // Tessera's: a token that may only change the password, used elsewhere.
  PASSWORD_CHANGE_REQUIRED: {
    status: 400,
    code: 'IDAAS.SDK.USER.0004',
    message: 'The password must be changed first',
  },
  // Tessera's.
  FORBIDDEN: { status: 400, code: 'IDAAS.SDK.COMMON.0403', message: 'Access denied' },
  CLIENT_AUTHENTICATION_FAILED: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0003',
    message: 'The app is not registered, please register the app first',
  },
  // Tessera's.
  UNAUTHORIZED_CLIENT: { status: 400, code: 'IDAAS.SDK.COMMON.0403', message: 'Access denied' },
  // Tessera's (the SDK API has no OAuth grants; kept generic).
  UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    code: 'IDAAS.SDK.COMMON.0001',
    message: 'Invalid request parameter',
  },
  INVALID_SCOPE: {
    status: 400,
    code: 'IDAAS.SDK.COMMON.0001',
    message: 'Invalid request parameter',
  },
  // Code from API.md (a bad state token); the wording is Tessera's.
  INVALID_GRANT: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0014',
    message: 'StateToken is invalid or expired',
  },
  // Tessera's, mirroring the tenant API's IDAAS.TENANT.USER.0001.
  USER_NOT_FOUND: { status: 400, code: 'IDAAS.SDK.USER.0001', message: 'User not found' },
  USER_FROZEN: { status: 400, code: 'IDAAS.SDK.USER.0002', message: 'User is disabled' },
  USER_LOCKED: { status: 400, code: 'IDAAS.SDK.USER.0003', message: 'User is locked' },
  // Tessera's: one answer for an unknown user, a wrong password and a frozen or locked user.
  INVALID_CREDENTIALS: {
    status: 400,
    code: 'IDAAS.SDK.LOGIN.0001',
    message: 'Incorrect username or password',
  },
  WRONG_PASSWORD: {
    status: 400,
    code: 'IDAAS.SDK.PWD.0008',
    message: 'The original password is incorrect',
  },
  CURRENT_PASSWORD_REQUIRED: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0018',
    message: 'Original password cannot be empty',
  },
  // Only without any violation listed; otherwise the first violation's code.
  PASSWORD_POLICY_VIOLATION: {
    status: 400,
    code: 'IDAAS.SDK.PWD.0005',
    message: 'The password is weak',
  },
  // Tessera's.
  CONFLICT: {
    status: 400,
    code: 'IDAAS.SDK.COMMON.0409',
    message: 'The data was changed by another request, please try again',
  },
  // Code from API.md; the wording is Tessera's.
  OTP_TOKEN_INVALID: {
    status: 400,
    code: 'IDAAS.SDK.CAPTCHA.0007',
    message: 'The verification code is incorrect or expired',
  },
  OTP_CODE_INVALID: {
    status: 400,
    code: 'IDAAS.SDK.CAPTCHA.0007',
    message: 'The verification code is incorrect or expired',
  },
  // Tessera's.
  OTP_RATE_LIMITED: {
    status: 400,
    code: 'IDAAS.SDK.CAPTCHA.0429',
    message: 'Verification codes are sent too often, please try again later',
  },
  APPLICATION_NOT_FOUND: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0003',
    message: 'The app is not registered, please register the app first',
  },
} as const satisfies Record<IdentityErrorCode, IdaasErrorEntry>;

/**
 * The tenant API (seed 002, API.md §3). Every failure to authenticate the caller is API.md's
 * `invalid_token` / `Invalid access`; other codes not in the seed are Tessera's, in its style.
 */
export const IDAAS_TENANT_ERRORS = {
  ...COMMON,
  // Tessera's.
  INVALID_ARGUMENT: {
    status: 400,
    code: 'IDAAS.TENANT.COMMON.0001',
    message: 'Invalid request parameter',
  },
  AUTHENTICATION_REQUIRED: INVALID_ACCESS,
  TOKEN_INVALID: INVALID_ACCESS,
  INSUFFICIENT_SCOPE: INVALID_ACCESS,
  PASSWORD_CHANGE_REQUIRED: INVALID_ACCESS,
  FORBIDDEN: INVALID_ACCESS,
  CLIENT_AUTHENTICATION_FAILED: INVALID_ACCESS,
  UNAUTHORIZED_CLIENT: INVALID_ACCESS,
  INVALID_GRANT: INVALID_ACCESS,
  INVALID_CREDENTIALS: INVALID_ACCESS,
  APPLICATION_NOT_FOUND: INVALID_ACCESS,
  // Tessera's (the token endpoint takes only client_credentials and scope `all`).
  UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    code: 'IDAAS.TENANT.COMMON.0001',
    message: 'Invalid request parameter',
  },
  INVALID_SCOPE: {
    status: 400,
    code: 'IDAAS.TENANT.COMMON.0001',
    message: 'Invalid request parameter',
  },
  USER_NOT_FOUND: { status: 400, code: 'IDAAS.TENANT.USER.0001', message: 'User not found' },
  // Tessera's, mirroring the SDK's USER.0002 / USER.0003.
  USER_FROZEN: { status: 400, code: 'IDAAS.TENANT.USER.0002', message: 'User is disabled' },
  USER_LOCKED: { status: 400, code: 'IDAAS.TENANT.USER.0003', message: 'User is locked' },
  // Tessera's, mirroring the SDK (the tenant API sets passwords without the current one).
  WRONG_PASSWORD: {
    status: 400,
    code: 'IDAAS.TENANT.PWD.0008',
    message: 'The original password is incorrect',
  },
  CURRENT_PASSWORD_REQUIRED: {
    status: 400,
    code: 'IDAAS.TENANT.PARAM.0018',
    message: 'Original password cannot be empty',
  },
  // Only without any violation listed; otherwise the first violation's code.
  PASSWORD_POLICY_VIOLATION: {
    status: 400,
    code: 'IDAAS.TENANT.PWD.0005',
    message: 'The password is weak',
  },
  // Tessera's: a taken user name, mobile or email, or a concurrent write.
  CONFLICT: {
    status: 400,
    code: 'IDAAS.TENANT.USER.0409',
    message: 'The user name, mobile or email is already in use',
  },
  // Tessera's; the tenant API sends no codes.
  OTP_TOKEN_INVALID: {
    status: 400,
    code: 'IDAAS.TENANT.COMMON.0001',
    message: 'Invalid request parameter',
  },
  OTP_CODE_INVALID: {
    status: 400,
    code: 'IDAAS.TENANT.COMMON.0001',
    message: 'Invalid request parameter',
  },
  OTP_RATE_LIMITED: {
    status: 400,
    code: 'IDAAS.TENANT.COMMON.0429',
    message: 'Too many requests, please try again later',
  },
} as const satisfies Record<IdentityErrorCode, IdaasErrorEntry>;
