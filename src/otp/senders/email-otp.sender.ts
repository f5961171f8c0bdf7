import nodemailer, { type Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { OtpChannel } from '../otp-challenge.entity';
import { otpSubject, otpText } from './otp.messages';
import type { OtpMessage, OtpSender } from './otp-sender';

/** Bounds on a slow or silent mail server; delivery runs in the background but must end. */
const SMTP_CONNECTION_TIMEOUT_MS = 5000;
export const SMTP_GREETING_TIMEOUT_MS = 5000;
const SMTP_SOCKET_TIMEOUT_MS = 10000;

/**
 * Email over SMTP (`SMTP_URL`, `MAIL_FROM`, API.md §5): a plain-text body with the code, worded
 * in the message's language.
 */
export class EmailOtpSender implements OtpSender {
  readonly channel: OtpChannel = 'email';
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // createTransport({ url, ...options }) keeps only what the URL says and silently drops the
    // timeouts; the transport's own constructor merges both.
    this.transport = nodemailer.createTransport(
      new SMTPTransport({
        url: smtpUrl,
        connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
        greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
        socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
      }),
    );
  }

  async send(message: OtpMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.target,
      subject: otpSubject(message),
      text: otpText(message),
    });
  }
}
