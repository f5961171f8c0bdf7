import { type OtpMessage, type OtpSender, otpText } from './otp-sender';

/** SMS through an HTTP gateway: `POST SMS_WEBHOOK_URL` with JSON (API.md §5). */
export class SmsOtpSender implements OtpSender {
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
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}
