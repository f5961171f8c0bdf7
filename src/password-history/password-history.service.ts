import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { normalizePassword, PasswordHasher } from '../hashing/password-hasher.service';
import { PasswordPolicyService } from '../policy/password-policy.service';
import type { PolicyViolation } from '../policy/password-policy.types';
import { violation } from '../policy/violations';
import { PasswordHistoryEntry, type PasswordChangeReason } from './password-history-entry.entity';

/** Whether two passwords are one after normalisation, compared in constant time (as digests). */
function samePassword(a: string, b: string): boolean {
  const digest = (password: string) =>
    createHash('sha256').update(normalizePassword(password), 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Every password a user has had, newest first; the newest entry is the current password. Kept to
 * one more than the largest `history_count` of any policy (realm or application override), since
 * the history is shared by every application while each checks its own count. Hashes never leave
 * this service.
 */
@Injectable()
export class PasswordHistoryService {
  constructor(
    @InjectRepository(PasswordHistoryEntry)
    private readonly entries: Repository<PasswordHistoryEntry>,
    private readonly hasher: PasswordHasher,
    private readonly policies: PasswordPolicyService,
  ) {}

  /**
   * `same_as_current` when `candidate` is the current password, `history` when it is one of the
   * `historyCount` before it. All compares run at once on the bcrypt pool: N sequential compares
   * at cost 12 would take N × ~200 ms. `verifiedCurrentPassword`, the current password as just
   * verified against `currentHash`, answers "same as current" without a bcrypt compare.
   */
  async findReuse(
    userId: string,
    candidate: string,
    currentHash: string | null,
    historyCount: number,
    verifiedCurrentPassword?: string,
  ): Promise<PolicyViolation | null> {
    const previous =
      historyCount > 0 ? await this.previousHashes(userId, currentHash, historyCount) : [];
    const [isCurrent, ...inHistory] = await Promise.all([
      !currentHash
        ? Promise.resolve(false)
        : verifiedCurrentPassword !== undefined
          ? Promise.resolve(samePassword(candidate, verifiedCurrentPassword))
          : this.hasher.verify(candidate, currentHash),
      ...previous.map((hash) => this.hasher.verify(candidate, hash)),
    ]);
    if (isCurrent) return violation.same_as_current();
    if (inHistory.some(Boolean)) return violation.history({ count: historyCount });
    return null;
  }

  /**
   * The `limit` hashes before the current one. The newest row normally is the current password;
   * it is skipped only when it really is, so a user whose current password predates the history
   * (or who has none) is still checked against `limit` older ones.
   */
  private async previousHashes(
    userId: string,
    currentHash: string | null,
    limit: number,
  ): Promise<string[]> {
    const newest = await this.entries.find({
      select: { id: true, passwordHash: true },
      where: { userId },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const hashes = newest.map((entry) => entry.passwordHash);
    return hashes[0] !== undefined && hashes[0] === currentHash
      ? hashes.slice(1)
      : hashes.slice(0, limit);
  }

  /**
   * Adds the new current password and prunes, inside the caller's transaction, to what the most
   * demanding policy needs ({@link PasswordPolicyService.retainedHistoryCount}): pruning to the
   * calling application's own count would let a `history_count: 0` override wipe the history the
   * realm's policy still checks.
   */
  async record(
    manager: EntityManager,
    userId: string,
    passwordHash: string,
    reason: PasswordChangeReason,
    changedAt: Date,
  ): Promise<void> {
    const retained = await this.policies.retainedHistoryCount();
    await manager.insert(PasswordHistoryEntry, { userId, passwordHash, reason, changedAt });
    // Select then delete by id: MySQL can neither DELETE with a LIMIT subquery on the same table
    // nor OFFSET without LIMIT. A user's history is at most a few dozen rows.
    const entries = await manager.find(PasswordHistoryEntry, {
      select: { id: true },
      where: { userId },
      order: { id: 'DESC' },
    });
    const stale = entries.slice(retained + 1);
    if (stale.length > 0)
      await manager.delete(PasswordHistoryEntry, { id: In(stale.map((e) => e.id)) });
  }

  async list(userId: string): Promise<Array<{ changed_at: string; reason: PasswordChangeReason }>> {
    const entries = await this.entries.find({
      select: { id: true, changedAt: true, reason: true },
      where: { userId },
      order: { id: 'DESC' },
    });
    return entries.map((entry) => ({
      changed_at: entry.changedAt.toISOString(),
      reason: entry.reason,
    }));
  }
}
