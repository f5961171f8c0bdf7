import { randomInt, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, MoreThan, Repository } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { SecretDigestService } from '../keys/secret-digest.service';
import { OtpChallenge, type OtpChannel } from './otp-challenge.entity';
import type { OtpUsage } from './otp-usage';
import { DevelopmentOtpSender, EmailOtpSender } from './senders/email-otp.sender';
import type { OtpSender } from './senders/otp-sender';
import { SmsOtpSender } from './senders/sms-otp.sender';

export const OTP_MAX_ATTEMPTS = 5;
export const OTP_RESEND_INTERVAL_SECONDS = 60;
export const OTP_HOURLY_CAP = 10;
/** How long a request waits for delivery before answering anyway; delivery carries on. */
const DELIVERY_WAIT_MS = 2000;

export interface IssueChallengeCommand {
  clientId: string;
  channel: OtpChannel;
  /** Normalised: lower-cased email or E.164. */
  target: string;
  usage: OtpUsage;
  /** False for a target with no account: same answer, nothing sent. */
  deliver: boolean;
}

export interface VerifyChallengeCommand {
  otpToken: string;
  code: string;
  clientId: string;
  channel: OtpChannel;
  target: string;
  usage: OtpUsage;
}

/**
 * One-time codes: six digits, single use, dead after five wrong tries, bound to client, channel,
 * target and usage; token and code stored only as HMACs. Limits hold across replicas and under
 * concurrency because every counter moves by a conditional UPDATE in the database.
 */
@Injectable()
export class OtpService {
  private readonly logger = new Logger(OtpService.name);
  private readonly senders: Record<OtpChannel, OtpSender>;

  constructor(
    private readonly config: AppConfig,
    private readonly digests: SecretDigestService,
    @InjectRepository(OtpChallenge) private readonly challenges: Repository<OtpChallenge>,
  ) {
    const fallback = (channel: OtpChannel): OtpSender => {
      if (config.isProduction) {
        throw new Error(
          `${channel === 'email' ? 'SMTP_URL' : 'SMS_WEBHOOK_URL'} must be set in production`,
        );
      }
      return new DevelopmentOtpSender(channel);
    };
    this.senders = {
      email: config.smtpUrl
        ? new EmailOtpSender(config.smtpUrl, config.mailFrom)
        : fallback('email'),
      sms: config.smsWebhookUrl ? new SmsOtpSender(config.smsWebhookUrl) : fallback('sms'),
    };
  }

  async issueChallenge(
    command: IssueChallengeCommand,
  ): Promise<{ otpToken: string; expiresAt: Date }> {
    const otpToken = this.digests.randomSecret(24);
    const tokenDigest = this.digests.digest(otpToken, 'otp-token');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.otpTtlSeconds * 1000);
    await this.challenges.insert({
      tokenDigest,
      clientId: command.clientId,
      channel: command.channel,
      target: command.target,
      usage: command.usage,
      codeDigest: this.digests.digest(code, `otp-code:${tokenDigest}`),
      attempts: 0,
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    await this.enforceThrottle(tokenDigest, command, now);
    if (command.deliver) {
      const delivery = this.senders[command.channel]
        .send({
          target: command.target,
          code,
          usage: command.usage,
          ttlSeconds: this.config.otpTtlSeconds,
        })
        .catch((error: unknown) =>
          this.logger.error(
            { err: error, channel: command.channel },
            'One-time code delivery failed',
          ),
        );
      await Promise.race([
        delivery,
        new Promise((resolve) => setTimeout(resolve, DELIVERY_WAIT_MS).unref()),
      ]);
    }
    return { otpToken, expiresAt };
  }

  /**
   * Checks a code. The attempt is counted before the comparison by one conditional UPDATE, so
   * parallel guesses cannot exceed the limit. With `consume` (default) the challenge is used up
   * on success; otherwise the caller consumes it later with `consumeChallenge`.
   */
  async verifyChallenge(
    command: VerifyChallengeCommand,
    options: { consume?: boolean } = {},
  ): Promise<void> {
    const tokenDigest = this.digests.digest(command.otpToken, 'otp-token');
    const now = new Date();
    const counted = await this.challenges
      .createQueryBuilder()
      .update(OtpChallenge)
      .set({ attempts: () => 'attempts + 1' })
      .where(
        'token_digest = :tokenDigest AND attempts < :max AND used_at IS NULL AND expires_at > :now',
        {
          tokenDigest,
          max: OTP_MAX_ATTEMPTS,
          now,
        },
      )
      .execute();
    const challenge =
      counted.affected === 1 ? await this.challenges.findOneBy({ tokenDigest }) : null;
    if (
      !challenge ||
      challenge.clientId !== command.clientId ||
      challenge.channel !== command.channel ||
      challenge.target !== command.target ||
      challenge.usage !== command.usage
    ) {
      throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
    }
    const presented = Buffer.from(
      this.digests.digest(command.code.trim(), `otp-code:${tokenDigest}`),
      'hex',
    );
    const expected = Buffer.from(challenge.codeDigest, 'hex');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new IdentityError(IdentityErrorCode.OTP_CODE_INVALID);
    }
    if (options.consume ?? true) await this.consumeChallenge(command.otpToken);
  }

  /** Uses a challenge up; exactly one of several concurrent callers succeeds. */
  async consumeChallenge(otpToken: string, manager?: EntityManager): Promise<void> {
    const tokenDigest = this.digests.digest(otpToken, 'otp-token');
    const result = await (manager ?? this.challenges.manager)
      .createQueryBuilder()
      .update(OtpChallenge)
      .set({ usedAt: new Date() })
      .where('token_digest = :tokenDigest AND used_at IS NULL', { tokenDigest })
      .execute();
    if (result.affected !== 1) throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
  }

  /**
   * One send per target and usage per minute, and an hourly cap per target. The new challenge is
   * inserted first and then ranked among its peers by (created_at, token_digest): every replica
   * ranks alike, so of two racing sends exactly one keeps its challenge.
   */
  private async enforceThrottle(
    tokenDigest: string,
    command: IssueChallengeCommand,
    now: Date,
  ): Promise<void> {
    const sinceMinute = new Date(now.getTime() - OTP_RESEND_INTERVAL_SECONDS * 1000);
    const sinceHour = new Date(now.getTime() - 3600 * 1000);
    const [recent, hourly] = await Promise.all([
      this.challenges.find({
        select: { tokenDigest: true, createdAt: true },
        where: { target: command.target, usage: command.usage, createdAt: MoreThan(sinceMinute) },
      }),
      this.challenges.find({
        select: { tokenDigest: true, createdAt: true },
        where: { target: command.target, createdAt: MoreThan(sinceHour) },
      }),
    ]);
    const rank = (rows: OtpChallenge[]) =>
      rows
        .sort(
          (a, b) =>
            a.createdAt.getTime() - b.createdAt.getTime() ||
            a.tokenDigest.localeCompare(b.tokenDigest),
        )
        .findIndex((row) => row.tokenDigest === tokenDigest);
    const minuteRank = rank(recent);
    const hourRank = rank(hourly);
    if (minuteRank > 0 || hourRank >= OTP_HOURLY_CAP) {
      await this.challenges.delete({ tokenDigest });
      const first = minuteRank > 0 ? recent[0] : hourly[0];
      const windowSeconds = minuteRank > 0 ? OTP_RESEND_INTERVAL_SECONDS : 3600;
      const retryAfterSeconds = first
        ? Math.max(
            1,
            Math.ceil((first.createdAt.getTime() + windowSeconds * 1000 - now.getTime()) / 1000),
          )
        : windowSeconds;
      throw new IdentityError(IdentityErrorCode.OTP_RATE_LIMITED, { retryAfterSeconds });
    }
  }
}
