import { Logger } from '@nestjs/common';
import type { OtpChannel } from '../otp-challenge.entity';
import type { OtpMessage, OtpSender } from './otp-sender';

/**
 * Stands in for a channel that has no transport configured outside production (API.md §5): the
 * code is written to the log, marked as development delivery. This is the only place a code may
 * ever reach a log, and it refuses to exist in production.
 */
export class DevelopmentOtpSender implements OtpSender {
  private readonly logger = new Logger('DevelopmentOtpDelivery');

  constructor(
    readonly channel: OtpChannel,
    isProduction: boolean,
  ) {
    if (isProduction)
      throw new Error('Development delivery of one-time codes is off in production');
  }

  send(message: OtpMessage): Promise<void> {
    this.logger.warn(
      {
        developmentDelivery: true,
        channel: this.channel,
        target: message.target,
        usage: message.usage,
        code: message.code,
      },
      `DEVELOPMENT DELIVERY of a one-time code by ${this.channel}: set ` +
        `${this.channel === 'email' ? 'SMTP_URL' : 'SMS_WEBHOOK_URL'} for real delivery`,
    );
    return Promise.resolve();
  }
}
