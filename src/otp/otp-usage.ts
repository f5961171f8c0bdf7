/**
 * What a one-time code may be redeemed for; a code is bound to one usage. Domain names: each
 * dialect maps its own wire names onto these (Tencent `login`, IDaaS `FORGET_PWD_SMS`, …).
 */
export const OTP_USAGES = [
  'sign_in',
  'sign_up',
  'reset_password',
  'change_password',
  'update_contact',
] as const;
export type OtpUsage = (typeof OTP_USAGES)[number];
