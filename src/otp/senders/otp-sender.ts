import type { Language } from '../../common/i18n/message-table';
import type { OtpChannel } from '../otp-challenge.entity';
import type { OtpUsage } from '../otp-usage';

export interface OtpMessage {
  /** Lower-cased email address or E.164 phone number. */
  target: string;
  code: string;
  usage: OtpUsage;
  ttlSeconds: number;
  /** The language the message is worded in, chosen by the dialect that asked for the code. */
  language: Language;
}

/** Delivers a code over one channel; rejects when the transport fails or times out. */
export interface OtpSender {
  readonly channel: OtpChannel;
  send(message: OtpMessage): Promise<void>;
}
