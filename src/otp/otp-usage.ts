/** What a one-time code may be redeemed for; a code is bound to one usage. */
export const OTP_USAGES = ['login', 'signup', 'update_userinfo', 'reset_password'] as const;
export type OtpUsage = (typeof OTP_USAGES)[number];
