import type { OtpChannel } from '../otp-challenge.entity';
import type { OtpUsage } from '../otp-usage';

export interface OtpMessage {
  /** Lower-cased email address or E.164 phone number. */
  target: string;
  code: string;
  usage: OtpUsage;
  ttlSeconds: number;
}

/** Delivers a code over one channel; rejects when the transport fails or times out. */
export interface OtpSender {
  readonly channel: OtpChannel;
  send(message: OtpMessage): Promise<void>;
}

const validity = (seconds: number): string =>
  seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;

/** The one text every channel sends. */
export const otpText = (message: OtpMessage): string =>
  `Your verification code is ${message.code}. It is valid for ${validity(message.ttlSeconds)} ` +
  'and can be used once. If you did not ask for it, ignore this message.';
