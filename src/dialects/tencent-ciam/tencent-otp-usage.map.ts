import type { OtpUsage } from '../../otp/otp-usage';

/** Tencent CIAM's `usage` of `POST /otp/send` (API.md §3), in the order the vendor lists them. */
export const TENCENT_OTP_USAGES = ['login', 'signup', 'update_userinfo', 'reset_password'] as const;
export type TencentOtpUsage = (typeof TENCENT_OTP_USAGES)[number];

/** The domain usage of each Tencent wire name; a wire name without one fails to compile. */
export const TENCENT_OTP_USAGE_MAP = {
  login: 'sign_in',
  signup: 'sign_up',
  update_userinfo: 'update_contact',
  reset_password: 'reset_password',
} as const satisfies Record<TencentOtpUsage, OtpUsage>;
