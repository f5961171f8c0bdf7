import type { OtpChannel } from '../../otp/otp-challenge.entity';
import type { OtpUsage } from '../../otp/otp-usage';

/**
 * IDaaS SDK's `type` of `POST /api/v2/sdk/sms/send` and `/email/send` (API.md §3, seed 004): each
 * names both the channel and what the code is for (`EMS` is the vendor's spelling for email).
 */
export const IDAAS_OTP_TYPES = [
  'UPDATE_PWD_SMS',
  'FORGET_PWD_SMS',
  'UPDATE_PWD_EMS',
  'FORGET_PWD_EMS',
] as const;
export type IdaasOtpType = (typeof IDAAS_OTP_TYPES)[number];

/** The channel and domain usage of each IDaaS type; a type without one fails to compile. */
export const IDAAS_OTP_USAGE_MAP = {
  UPDATE_PWD_SMS: { channel: 'sms', usage: 'change_password' },
  FORGET_PWD_SMS: { channel: 'sms', usage: 'reset_password' },
  UPDATE_PWD_EMS: { channel: 'email', usage: 'change_password' },
  FORGET_PWD_EMS: { channel: 'email', usage: 'reset_password' },
} as const satisfies Record<IdaasOtpType, { channel: OtpChannel; usage: OtpUsage }>;
