import type { OtpChannel } from '../otp-challenge.entity';
import { otpText } from './otp.messages';
import type { OtpMessage, OtpSender } from './otp-sender';

const SMS_WEBHOOK_TIMEOUT_MS = 10000;

/**
 * SMS through an HTTP gateway (API.md §5): `POST SMS_WEBHOOK_URL` with JSON
 * `{phone_number, message, code, usage}` (`message` in the message's language, `usage` its domain
 * name); any non-2xx answer is a failed delivery.
 */
export class SmsOtpSender implements OtpSender {
  readonly channel: OtpChannel = 'sms';

  constructor(private readonly webhookUrl: string) {}

  async send(message: OtpMessage): Promise<void> {
    const response = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        phone_number: message.target,
        message: otpText(message),
        code: message.code,
        usage: message.usage,
      }),
      signal: AbortSignal.timeout(SMS_WEBHOOK_TIMEOUT_MS),
    });
    // Drain the body so the connection is released; its content is not ours to interpret.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`SMS gateway answered HTTP ${response.status}`);
  }
}
