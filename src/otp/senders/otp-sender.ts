import type { OtpUsage } from '../otp-usage';

export interface OtpMessage {
  target: string;
  code: string;
  usage: OtpUsage;
  ttlSeconds: number;
}

/** Delivers one code over one channel. */
export interface OtpSender {
  send(message: OtpMessage): Promise<void>;
}

export const otpText = (message: OtpMessage): string =>
  `Your verification code is ${message.code}. It is valid for ${Math.round(message.ttlSeconds / 60)} minutes ` +
  `and can be used once. If you did not ask for it, ignore this message.`;
