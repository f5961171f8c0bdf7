import { IdentityError, type IdentityErrorCode } from '../../common/errors/identity-error';

/**
 * IDaaS answers every error with HTTP 400 (seeds 002 and 004); Tessera keeps the status only where
 * the protocol needs it (no route, wrong method, body too large, server failure).
 */
export type IdaasStatus = 400 | 404 | 405 | 413 | 415 | 429 | 500 | 503;

/**
 * A `{error_code, error_msg}` error in both languages: `zh` is sent when `X-L` starts with `zh`
 * (seed 004's second lines), `message` otherwise. Required, so a table without a Chinese twin for
 * a code does not compile.
 */
export interface IdaasLocalizedEntry {
  status: IdaasStatus;
  code: string;
  message: string;
  zh: string;
}

/** The tenant API's token checks: API.md §3's OAuth-style body, the same in every language. */
const INVALID_ACCESS = {
  status: 400,
  oauthError: 'invalid_token',
  description: 'Invalid access',
} as const;

/** One IDaaS error: a localized `{error_code, error_msg}`, or the tenant API's `invalid_token`. */
export type IdaasErrorEntry = IdaasLocalizedEntry | typeof INVALID_ACCESS;

/**
 * Codes shared by both APIs for what fails before a route is reached. The vendor documents none;
 * these are Tessera's, in the vendor's style, numbered after the HTTP status.
 */
const COMMON = {
  PAYLOAD_TOO_LARGE: {
    status: 413,
    code: 'IDAAS.COMMON.0413',
    message: 'Request body too large',
    zh: '请求体过大',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    code: 'IDAAS.COMMON.0415',
    message: 'Content-Type must be application/json',
    zh: 'Content-Type必须为application/json',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    code: 'IDAAS.COMMON.0405',
    message: 'Request method not supported',
    zh: '不支持该请求方法',
  },
  NOT_FOUND: {
    status: 404,
    code: 'IDAAS.COMMON.0404',
    message: 'Resource not found',
    zh: '资源不存在',
  },
  // 429, not the vendor's blanket 400: clients and proxies back off on the status and Retry-After.
  RATE_LIMITED: {
    status: 429,
    code: 'IDAAS.COMMON.0429',
    message: 'Too many requests, please try again later',
    zh: '请求过于频繁,请稍后再试',
  },
  SERVICE_BUSY: {
    status: 503,
    code: 'IDAAS.COMMON.0503',
    message: 'Service is busy, please try again later',
    zh: '服务繁忙,请稍后重试',
  },
  INTERNAL: {
    status: 500,
    code: 'IDAAS.COMMON.0500',
    message: 'Internal server error',
    zh: '服务器内部错误',
  },
} as const satisfies Partial<Record<IdentityErrorCode, IdaasLocalizedEntry>>;

const SDK_INVALID_ARGUMENT = {
  status: 400,
  code: 'IDAAS.SDK.COMMON.0001',
  message: 'Invalid request parameter',
  zh: '请求参数不合法',
} as const;
const SDK_ACCESS_DENIED = {
  status: 400,
  code: 'IDAAS.SDK.COMMON.0403',
  message: 'Access denied',
  zh: '拒绝访问',
} as const;
const SDK_NOT_REGISTERED = {
  status: 400,
  code: 'IDAAS.SDK.PARAM.0003',
  message: 'The app is not registered, please register the app first',
  zh: '应用未注册,请先注册应用',
} as const;
const SDK_ID_TOKEN_INVALID = {
  status: 400,
  code: 'IDAAS.SDK.PARAM.0016',
  message: 'IdToken is invalid or expired',
  zh: 'IdToken无效或已过期',
} as const;
const SDK_WRONG_CODE = {
  status: 400,
  code: 'IDAAS.SDK.CAPTCHA.0007',
  message: 'Incorrect verification code',
  zh: '验证码错误',
} as const;

/**
 * The SDK API (seed 004, API.md §3–§4). Codes the seed or API.md gives are the vendor's; every
 * other one is marked "Tessera's" and follows the vendor's `IDAAS.SDK.<AREA>.<NNNN>` style. Policy
 * violations are refined by `IDAAS_VIOLATION_CODES` (idaas-violation.messages.ts), and the checks
 * that have a code of their own (device headers, client id, state token…) by `IDAAS_SDK_REASONS`.
 */
export const IDAAS_SDK_ERRORS = {
  ...COMMON,
  // Tessera's: the vendor has a PARAM code per missing field; the SDK controllers throw those.
  INVALID_ARGUMENT: SDK_INVALID_ARGUMENT,
  AUTHENTICATION_REQUIRED: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0015',
    message: 'IdToken cannot be empty',
    zh: 'IdToken不能为空',
  },
  TOKEN_INVALID: SDK_ID_TOKEN_INVALID,
  INSUFFICIENT_SCOPE: SDK_ID_TOKEN_INVALID,
  // Tessera's: a token that may only change the password, used elsewhere.
  PASSWORD_CHANGE_REQUIRED: {
    status: 400,
    code: 'IDAAS.SDK.USER.0004',
    message: 'The password must be changed first',
    zh: '请先修改密码',
  },
  // Tessera's.
  FORBIDDEN: SDK_ACCESS_DENIED,
  CLIENT_AUTHENTICATION_FAILED: SDK_NOT_REGISTERED,
  // Tessera's.
  UNAUTHORIZED_CLIENT: SDK_ACCESS_DENIED,
  // Tessera's (the SDK API has no OAuth grants; kept generic).
  UNSUPPORTED_GRANT_TYPE: SDK_INVALID_ARGUMENT,
  INVALID_SCOPE: SDK_INVALID_ARGUMENT,
  // Code and English from the vendor's "Skip Forced Password Change" page (a bad state token).
  INVALID_GRANT: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0014',
    message: 'Invalid state token',
    zh: 'stateToken无效',
  },
  // Tessera's, mirroring the tenant API's IDAAS.TENANT.USER.0001.
  USER_NOT_FOUND: {
    status: 400,
    code: 'IDAAS.SDK.USER.0001',
    message: 'User not found',
    zh: '用户不存在',
  },
  USER_FROZEN: {
    status: 400,
    code: 'IDAAS.SDK.USER.0002',
    message: 'User is disabled',
    zh: '用户已禁用',
  },
  USER_LOCKED: {
    status: 400,
    code: 'IDAAS.SDK.USER.0003',
    message: 'User is locked',
    zh: '用户已锁定',
  },
  // Tessera's: one answer for an unknown user, a wrong password and a frozen or locked user.
  INVALID_CREDENTIALS: {
    status: 400,
    code: 'IDAAS.SDK.LOGIN.0001',
    message: 'Incorrect username or password',
    zh: '用户名或密码错误',
  },
  WRONG_PASSWORD: {
    status: 400,
    code: 'IDAAS.SDK.PWD.0008',
    message: 'The original password is incorrect',
    zh: '原密码错误',
  },
  CURRENT_PASSWORD_REQUIRED: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0018',
    message: 'Original password cannot be empty',
    zh: '原密码不能为空',
  },
  // Only without any violation listed; otherwise the first violation's code.
  PASSWORD_POLICY_VIOLATION: {
    status: 400,
    code: 'IDAAS.SDK.PWD.0005',
    message: 'The password is weak',
    zh: '该密码为弱密码',
  },
  // Tessera's.
  CONFLICT: {
    status: 400,
    code: 'IDAAS.SDK.COMMON.0409',
    message: 'The data was changed by another request, please try again',
    zh: '数据已被其他请求修改,请重试',
  },
  // Code and English from API.md §3; no live code for the target is a wrong code too.
  OTP_TOKEN_INVALID: SDK_WRONG_CODE,
  OTP_CODE_INVALID: SDK_WRONG_CODE,
  // Tessera's.
  OTP_RATE_LIMITED: {
    status: 400,
    code: 'IDAAS.SDK.CAPTCHA.0429',
    message: 'Verification codes are sent too often, please try again later',
    zh: '验证码发送过于频繁,请稍后再试',
  },
  APPLICATION_NOT_FOUND: SDK_NOT_REGISTERED,
} as const satisfies Record<IdentityErrorCode, IdaasLocalizedEntry>;

/**
 * The SDK checks that have a code of their own though the domain reports them with a generic one
 * (seed 004's PARAM codes). The SDK's schemes and controller throw
 * `idaasSdkError(domainCode, reason)`; the renderer prefers the reason's entry to the code's.
 */
export const IDAAS_SDK_REASONS = {
  device_info_missing: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0001',
    message: 'Device information is incomplete',
    zh: '设备信息不完整',
  },
  client_id_missing: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0002',
    message: 'clientId cannot be empty',
    zh: 'clientId不能为空',
  },
  client_not_registered: SDK_NOT_REGISTERED,
  state_token_invalid: IDAAS_SDK_ERRORS.INVALID_GRANT,
  id_token_missing: IDAAS_SDK_ERRORS.AUTHENTICATION_REQUIRED,
  id_token_invalid: SDK_ID_TOKEN_INVALID,
  old_password_missing: IDAAS_SDK_ERRORS.CURRENT_PASSWORD_REQUIRED,
  new_password_missing: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0019',
    message: 'New password cannot be empty',
    zh: '新密码不能为空',
  },
  same_password: {
    status: 400,
    code: 'IDAAS.SDK.PARAM.0020',
    message: 'The original password and the new password do not match',
    zh: '原密码和新密码不能一致',
  },
  wrong_code: SDK_WRONG_CODE,
} as const satisfies Record<string, IdaasLocalizedEntry>;

export type IdaasSdkReason = keyof typeof IDAAS_SDK_REASONS;

/** The reason of an SDK error, when `details.idaas` names one. */
export function idaasSdkReasonOf(error: IdentityError): IdaasSdkReason | undefined {
  const reason = error.details.idaas;
  return typeof reason === 'string' && Object.hasOwn(IDAAS_SDK_REASONS, reason)
    ? (reason as IdaasSdkReason)
    : undefined;
}

/** A domain error the SDK API words with a code of its own (`IDAAS_SDK_REASONS`). */
export function idaasSdkError(code: IdentityErrorCode, reason: IdaasSdkReason): IdentityError {
  return new IdentityError(code, { idaas: reason });
}

/** Tessera's: any bad input on the tenant API, in the wording of the SDK's COMMON.0001. */
const TENANT_INVALID_ARGUMENT = {
  status: 400,
  code: 'IDAAS.TENANT.COMMON.0001',
  message: 'Invalid request parameter',
  zh: '请求参数不合法',
} as const;

/**
 * The tenant API (seed 002, API.md §3). Every failure to authenticate the caller is API.md's
 * `invalid_token` / `Invalid access`; other codes not in the seed are Tessera's, in its style.
 */
export const IDAAS_TENANT_ERRORS = {
  ...COMMON,
  // Tessera's.
  INVALID_ARGUMENT: TENANT_INVALID_ARGUMENT,
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
  UNSUPPORTED_GRANT_TYPE: TENANT_INVALID_ARGUMENT,
  INVALID_SCOPE: TENANT_INVALID_ARGUMENT,
  USER_NOT_FOUND: {
    status: 400,
    code: 'IDAAS.TENANT.USER.0001',
    message: 'User not found',
    zh: '用户不存在',
  },
  // Tessera's, mirroring the SDK's USER.0002 / USER.0003.
  USER_FROZEN: {
    status: 400,
    code: 'IDAAS.TENANT.USER.0002',
    message: 'User is disabled',
    zh: '用户已禁用',
  },
  USER_LOCKED: {
    status: 400,
    code: 'IDAAS.TENANT.USER.0003',
    message: 'User is locked',
    zh: '用户已锁定',
  },
  // Tessera's, mirroring the SDK (the tenant API sets passwords without the current one).
  WRONG_PASSWORD: {
    status: 400,
    code: 'IDAAS.TENANT.PWD.0008',
    message: 'The original password is incorrect',
    zh: '原密码错误',
  },
  CURRENT_PASSWORD_REQUIRED: {
    status: 400,
    code: 'IDAAS.TENANT.PARAM.0018',
    message: 'Original password cannot be empty',
    zh: '原密码不能为空',
  },
  // Only without any violation listed; otherwise the first violation's code.
  PASSWORD_POLICY_VIOLATION: {
    status: 400,
    code: 'IDAAS.TENANT.PWD.0005',
    message: 'The password is weak',
    zh: '该密码为弱密码',
  },
  // Tessera's: a taken user name, mobile or email, or a concurrent write of the same user.
  CONFLICT: {
    status: 400,
    code: 'IDAAS.TENANT.USER.0409',
    message:
      'The user name, mobile or email is already in use, or the user was changed by another request, please try again',
    zh: '用户名、手机号或邮箱已被使用，或用户已被其他请求修改，请重试',
  },
  // Tessera's; the tenant API sends no codes.
  OTP_TOKEN_INVALID: TENANT_INVALID_ARGUMENT,
  OTP_CODE_INVALID: TENANT_INVALID_ARGUMENT,
  OTP_RATE_LIMITED: {
    status: 400,
    code: 'IDAAS.TENANT.COMMON.0429',
    message: 'Too many requests, please try again later',
    zh: '请求过于频繁,请稍后再试',
  },
} as const satisfies Record<IdentityErrorCode, IdaasErrorEntry>;
