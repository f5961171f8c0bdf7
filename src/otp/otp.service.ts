import { randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../common/events/identity-events';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import type { Language } from '../common/i18n/message-table';
import { AppConfig } from '../config/app.config';
import { SecretDigestService } from '../keys/secret-digest.service';
import { OtpChallenge, type OtpChannel } from './otp-challenge.entity';
import { OtpDeliveryService } from './otp-delivery.service';
import { OTP_SEND_COUNTER, type OtpSendCounter } from './otp-send-counter';
import type { OtpUsage } from './otp-usage';

const verification = (outcome: string) => ({ kind: 'otp_verification', outcome }) as const;

/** Wrong or right, the sixth try on a challenge is refused as an invalid token. */
export const OTP_MAX_ATTEMPTS = 5;
/** At most one code per target and usage in this many seconds. */
export const OTP_RESEND_INTERVAL_SECONDS = 60;
/** At most this many codes per target (all usages) per fixed hour window. */
export const OTP_HOURLY_CAP = 10;

/** What a challenge is bound to: a code is good only for the same four. */
export interface OtpChallengeBinding {
  clientId: string;
  channel: OtpChannel;
  /** Normalised by the caller: lower-cased email or E.164 phone number. */
  target: string;
  usage: OtpUsage;
}

export interface IssueChallengeCommand extends OtpChallengeBinding {
  /**
   * False for a target with no account: the same answer, the same limits, the same timing, but
   * nothing is sent — so the endpoint cannot tell who has an account.
   */
  deliver: boolean;
  /** The language of the delivered message, chosen by the dialect; English by default. */
  language?: Language;
}

/** A code presented with the otp_token its send returned (Tencent). */
export interface VerifyChallengeCommand extends OtpChallengeBinding {
  otpToken: string;
  code: string;
}

/** A code presented with only its target (IDaaS): checked against the newest challenge. */
export interface VerifyChallengeByTargetCommand extends OtpChallengeBinding {
  code: string;
}

const boundTo = (challenge: OtpChallenge, binding: OtpChallengeBinding): boolean =>
  challenge.clientId === binding.clientId &&
  challenge.channel === binding.channel &&
  challenge.target === binding.target &&
  challenge.usage === binding.usage;

/**
 * One-time codes (API.md §5): six digits, valid `OTP_TTL_SECONDS`, single use, dead after five
 * tries, bound to client, channel, target and usage. A code is presented with the otp_token its
 * send returned (Tencent) or with its target alone (IDaaS), which finds the newest challenge of that
 * binding. The otp_token and the code are stored only as HMACs under the server key. Every limit is enforced by a conditional statement in the database,
 * so it holds across replicas and under concurrency.
 */
@Injectable()
export class OtpService {
  constructor(
    private readonly config: AppConfig,
    private readonly digests: SecretDigestService,
    private readonly delivery: OtpDeliveryService,
    @Inject(OTP_SEND_COUNTER) private readonly throttle: OtpSendCounter,
    @InjectRepository(OtpChallenge) private readonly challenges: Repository<OtpChallenge>,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  /**
   * Creates a challenge and starts its delivery in the background (never awaited), then answers
   * with the otp_token. Throws OTP_RATE_LIMITED `{retryAfterSeconds}` when the target had a code
   * for this usage in the last minute or reached its hourly cap; throws INTERNAL when the channel
   * has no transport in production. Both apply whether or not `deliver` is set.
   */
  issueChallenge(command: IssueChallengeCommand): Promise<{ otpToken: string; expiresAt: Date }> {
    // `suppressed`: answered without a message (no account at the target).
    const sent = command.deliver ? 'sent' : 'suppressed';
    return this.events.observe(this.issue(command), (outcome) => ({
      kind: 'otp_send',
      channel: command.channel,
      usage: command.usage,
      outcome: outcome === 'success' ? sent : outcome,
    }));
  }

  private async issue(
    command: IssueChallengeCommand,
  ): Promise<{ otpToken: string; expiresAt: Date }> {
    this.delivery.assertAvailable(command.channel);
    const now = new Date();
    await this.enforceThrottle(command, now);
    const otpToken = this.digests.randomSecret();
    const tokenDigest = this.tokenDigest(otpToken);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(now.getTime() + this.config.otpTtlSeconds * 1000);
    await this.challenges.insert({
      tokenDigest,
      clientId: command.clientId,
      channel: command.channel,
      target: command.target,
      usage: command.usage,
      codeDigest: this.codeDigest(code, tokenDigest),
      attempts: 0,
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    if (command.deliver) {
      this.delivery.dispatch(command.channel, {
        target: command.target,
        code,
        usage: command.usage,
        ttlSeconds: this.config.otpTtlSeconds,
        language: command.language ?? 'en',
      });
    }
    return { otpToken, expiresAt };
  }

  /**
   * Checks a code: OTP_TOKEN_INVALID when the token is unknown, expired, used, dead (five tries
   * spent) or bound to another client, channel, target or usage; OTP_CODE_INVALID when the code is
   * wrong. Every call that finds a live challenge counts one try, right code or wrong, and the try
   * is counted by one conditional UPDATE before the comparison, so parallel guesses cannot exceed
   * the limit.
   *
   * By default a correct code consumes the challenge (one conditional UPDATE, so of two parallel
   * correct submissions exactly one succeeds). A flow whose own later step may still fail — a
   * reset whose new password the policy rejects must leave the code usable — passes
   * `{ consume: false }` and calls {@link consumeChallenge} in the transaction of that step.
   */
  verifyChallenge(
    command: VerifyChallengeCommand,
    options: { consume?: boolean } = {},
  ): Promise<void> {
    return this.events.observe(this.verify(command, options), verification);
  }

  private async verify(
    command: VerifyChallengeCommand,
    options: { consume?: boolean },
  ): Promise<void> {
    const challenge = await this.countTry(this.tokenDigest(command.otpToken));
    if (!challenge || !boundTo(challenge, command)) {
      throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
    }
    this.assertCode(challenge, command.code);
    if (options.consume ?? true) await this.consumeChallengeById(challenge.tokenDigest);
  }

  /**
   * Checks a code presented without an otp_token, against the newest unexpired challenge for the
   * client, channel, target and usage. A newer send supersedes older codes: when the newest is
   * used up or dead (five tries spent), the older ones are not tried instead, so the guesses at a
   * target never exceed five per code sent and a code the user has replaced stops working.
   * Otherwise exactly as {@link verifyChallenge}: OTP_TOKEN_INVALID when there is no live
   * challenge, OTP_CODE_INVALID for a wrong code, one try counted per call by a conditional
   * UPDATE before the comparison, and single use by a conditional UPDATE.
   *
   * Returns the challenge's id, for {@link consumeChallengeById} when `{ consume: false }`.
   */
  verifyChallengeByTarget(
    command: VerifyChallengeByTargetCommand,
    options: { consume?: boolean } = {},
  ): Promise<string> {
    return this.events.observe(this.verifyByTarget(command, options), verification);
  }

  private async verifyByTarget(
    command: VerifyChallengeByTargetCommand,
    options: { consume?: boolean },
  ): Promise<string> {
    const newest = await this.challenges
      .createQueryBuilder('challenge')
      .select('challenge.tokenDigest', 'tokenDigest')
      .where(
        'challenge.clientId = :clientId AND challenge.channel = :channel AND ' +
          'challenge.target = :target AND challenge.usage = :usage AND challenge.expiresAt > :now',
        {
          clientId: command.clientId,
          channel: command.channel,
          target: command.target,
          usage: command.usage,
          now: new Date(),
        },
      )
      .orderBy('challenge.createdAt', 'DESC')
      .limit(1)
      .getRawOne<{ tokenDigest: string }>();
    const challenge = newest ? await this.countTry(newest.tokenDigest) : null;
    if (!challenge) throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
    this.assertCode(challenge, command.code);
    if (options.consume ?? true) await this.consumeChallengeById(challenge.tokenDigest);
    return challenge.tokenDigest;
  }

  /**
   * Uses a challenge up, after {@link verifyChallenge} with `{ consume: false }` succeeded; pass the
   * `manager` of a transaction to make consumption part of it. A conditional UPDATE
   * (`used_at IS NULL`): of several concurrent callers exactly one succeeds, the others get
   * OTP_TOKEN_INVALID.
   */
  async consumeChallenge(otpToken: string, manager?: EntityManager): Promise<void> {
    await this.consumeChallengeById(this.tokenDigest(otpToken), manager);
  }

  /**
   * {@link consumeChallenge} by the id {@link verifyChallengeByTarget} returned, for codes that
   * came without an otp_token.
   */
  async consumeChallengeById(challengeId: string, manager?: EntityManager): Promise<void> {
    const result = await (manager ?? this.challenges.manager)
      .createQueryBuilder()
      .update(OtpChallenge)
      .set({ usedAt: new Date() })
      .where('token_digest = :tokenDigest AND used_at IS NULL', { tokenDigest: challengeId })
      .execute();
    if (result.affected !== 1) throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
  }

  /**
   * Counts one try on a live challenge (unexpired, unused, fewer than five tries) with one
   * conditional UPDATE, so parallel guesses cannot exceed the limit; the challenge when the try
   * was counted, else null.
   */
  private async countTry(tokenDigest: string): Promise<OtpChallenge | null> {
    const counted = await this.challenges
      .createQueryBuilder()
      .update(OtpChallenge)
      .set({ attempts: () => 'attempts + 1' })
      .where(
        'token_digest = :tokenDigest AND attempts < :max AND used_at IS NULL AND expires_at > :now',
        { tokenDigest, max: OTP_MAX_ATTEMPTS, now: new Date() },
      )
      .execute();
    return counted.affected === 1 ? this.challenges.findOneBy({ tokenDigest }) : null;
  }

  /** OTP_CODE_INVALID unless `code` is the challenge's, compared in constant time. */
  private assertCode(challenge: OtpChallenge, code: string): void {
    const presented = Buffer.from(this.codeDigest(code.trim(), challenge.tokenDigest), 'hex');
    const expected = Buffer.from(challenge.codeDigest, 'hex');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw new IdentityError(IdentityErrorCode.OTP_CODE_INVALID);
    }
  }

  /**
   * The per-minute limit is checked first, so a send it refuses does not use up the hourly cap.
   * The hourly window is fixed (it opens with the first send), so a burst at its end and the start
   * of the next can reach twice the cap within an hour; the per-minute limit still holds.
   */
  private async enforceThrottle(command: IssueChallengeCommand, now: Date): Promise<void> {
    const perUsage = await this.throttle.hit(
      this.throttleKey('resend', command.channel, command.target, command.usage),
      { limit: 1, windowSeconds: OTP_RESEND_INTERVAL_SECONDS },
      now,
    );
    const retryAfterSeconds =
      perUsage ??
      (await this.throttle.hit(
        this.throttleKey('hourly', command.channel, command.target),
        { limit: OTP_HOURLY_CAP, windowSeconds: 3600 },
        now,
      ));
    if (retryAfterSeconds !== null) {
      throw new IdentityError(IdentityErrorCode.OTP_RATE_LIMITED, { retryAfterSeconds });
    }
  }

  private throttleKey(...parts: string[]): string {
    return this.digests.digest(parts.join('\0'), 'otp-throttle');
  }

  private tokenDigest(otpToken: string): string {
    return this.digests.digest(otpToken, 'otp-token');
  }

  private codeDigest(code: string, tokenDigest: string): string {
    return this.digests.digest(code, `otp-code:${tokenDigest}`);
  }
}
