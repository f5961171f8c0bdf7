import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import type { OtpSendCounter, ThrottleLimit } from './otp-send-counter';
import { OtpSendThrottle } from './otp-send-throttle.entity';

/**
 * Fixed-window send counters in the database, shared by every replica. A window opens with the
 * first send after the previous one has ended, so a limit of one per 60 s means at least 60 s
 * between two accepted sends. Every step is one conditional statement whose affected-row count
 * decides, so of two concurrent sends that would both pass a read-then-write check, only as many
 * as the limit allows succeed.
 */
@Injectable()
export class OtpSendThrottleService implements OtpSendCounter {
  constructor(
    @InjectRepository(OtpSendThrottle) private readonly throttles: Repository<OtpSendThrottle>,
  ) {}

  /**
   * Counts one send under `throttleKey` (an opaque digest chosen by the caller); returns null when
   * allowed, else the seconds until the window ends.
   */
  async hit(throttleKey: string, limit: ThrottleLimit, now: Date): Promise<number | null> {
    const cutoff = new Date(now.getTime() - limit.windowSeconds * 1000);
    // The loop runs twice at most: a lost race on the first insert retries the updates once.
    for (let round = 0; round < 2; round += 1) {
      const restarted = await this.throttles
        .createQueryBuilder()
        .update(OtpSendThrottle)
        .set({ windowStartedAt: now, sends: 1 })
        .where('throttle_key = :throttleKey AND window_started_at <= :cutoff', {
          throttleKey,
          cutoff,
        })
        .execute();
      if (restarted.affected === 1) return null;
      const counted = await this.throttles
        .createQueryBuilder()
        .update(OtpSendThrottle)
        .set({ sends: () => 'sends + 1' })
        .where('throttle_key = :throttleKey AND window_started_at > :cutoff AND sends < :limit', {
          throttleKey,
          cutoff,
          limit: limit.limit,
        })
        .execute();
      if (counted.affected === 1) return null;
      const existing = await this.throttles.findOneBy({ throttleKey });
      if (existing) return this.retryAfter(existing, limit, now);
      try {
        await this.throttles.insert({ throttleKey, windowStartedAt: now, sends: 1 });
        return null;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    const existing = await this.throttles.findOneBy({ throttleKey });
    return existing ? this.retryAfter(existing, limit, now) : limit.windowSeconds;
  }

  private retryAfter(row: OtpSendThrottle, limit: ThrottleLimit, now: Date): number {
    const endsAt = row.windowStartedAt.getTime() + limit.windowSeconds * 1000;
    return Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
  }
}
