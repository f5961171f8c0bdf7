import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import type { OtpChannel } from './otp-challenge.entity';
import { DevelopmentOtpSender } from './senders/development-otp.sender';
import { EmailOtpSender } from './senders/email-otp.sender';
import type { OtpMessage, OtpSender } from './senders/otp-sender';
import { SmsOtpSender } from './senders/sms-otp.sender';

/** Deliveries in flight at once; beyond it new ones are dropped (and logged) rather than queued. */
const MAX_PENDING_DELIVERIES = 1000;

const SETTING: Record<OtpChannel, string> = { email: 'SMTP_URL', sms: 'SMS_WEBHOOK_URL' };

/**
 * Picks the sender of each channel and runs deliveries in the background: the request that asked
 * for a code never waits for the mail server or the SMS gateway, so a slow transport cannot hold
 * it, and a target that gets no message (no account) answers in the same time as one that does.
 * Failures are logged without the code; each sender bounds its own transport with timeouts, and
 * shutdown waits for deliveries still running.
 *
 * In production a channel without its setting (`SMTP_URL`, `SMS_WEBHOOK_URL`) is reported at start
 * and refused on use with INTERNAL — for every target alike, so the refusal reveals nothing — and
 * the other channel keeps working: a deployment that only sends email needs no SMS gateway.
 */
@Injectable()
export class OtpDeliveryService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(OtpDeliveryService.name);
  private readonly senders: Record<OtpChannel, OtpSender | null>;
  private readonly pending = new Set<Promise<void>>();

  constructor(config: AppConfig) {
    const fallback = (channel: OtpChannel): OtpSender | null =>
      config.isProduction ? null : new DevelopmentOtpSender(channel, false);
    this.senders = {
      email: config.smtpUrl
        ? new EmailOtpSender(config.smtpUrl, config.mailFrom)
        : fallback('email'),
      sms: config.smsWebhookUrl ? new SmsOtpSender(config.smsWebhookUrl) : fallback('sms'),
    };
  }

  onModuleInit(): void {
    // Logged here rather than in the constructor so the line goes through the application logger.
    for (const channel of ['email', 'sms'] as const) {
      if (!this.senders[channel]) {
        this.logger.error(
          `${SETTING[channel]} is not set: one-time codes by ${channel} are refused in production`,
        );
      }
    }
  }

  /** Throws INTERNAL when the channel has no transport (production without its setting). */
  assertAvailable(channel: OtpChannel): void {
    if (!this.senders[channel]) {
      throw new IdentityError(IdentityErrorCode.INTERNAL, {
        reason: `${SETTING[channel]} is not configured`,
      });
    }
  }

  /** Starts a delivery and returns at once. */
  dispatch(channel: OtpChannel, message: OtpMessage): void {
    const sender = this.senders[channel];
    if (!sender) {
      this.assertAvailable(channel);
      return;
    }
    if (this.pending.size >= MAX_PENDING_DELIVERIES) {
      this.logger.error(
        { channel, usage: message.usage },
        'One-time code dropped: too many deliveries pending',
      );
      return;
    }
    const delivery: Promise<void> = sender
      .send(message)
      .catch((error: unknown) => {
        const { message: reason, code } = error as { message?: unknown; code?: unknown };
        // The error, never the message: the code must not reach the log.
        this.logger.error(
          { channel, usage: message.usage, reason: String(reason), errorCode: code },
          'One-time code delivery failed',
        );
      })
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves when every delivery started so far has ended (delivered or failed). */
  async whenIdle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.whenIdle();
  }
}
