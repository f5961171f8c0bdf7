import { Logger } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { type OtpMessage, type OtpSender, otpText } from './otp-sender';

/** Email over SMTP (`SMTP_URL`, `MAIL_FROM`), plain text, with bounded timeouts. */
export class EmailOtpSender implements OtpSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl, {
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10000,
    } as never);
  }

  async send(message: OtpMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.target,
      subject: 'Your verification code',
      text: otpText(message),
    });
  }
}

/** Outside production with nothing configured: the code goes to the log, marked as such. */
export class DevelopmentOtpSender implements OtpSender {
  private readonly logger = new Logger('DevelopmentOtpDelivery');

  constructor(private readonly channel: 'email' | 'sms') {}

  async send(message: OtpMessage): Promise<void> {
    // The only place a code is logged, and only when NODE_ENV is not production (checked by the caller).
    this.logger.warn(
      { channel: this.channel, target: message.target, usage: message.usage, code: message.code },
      'DEVELOPMENT DELIVERY of a one-time code (configure SMTP_URL / SMS_WEBHOOK_URL for real delivery)',
    );
  }
}
