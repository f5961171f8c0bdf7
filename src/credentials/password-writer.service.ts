import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { TransactionRunner } from '../database/transaction-runner';
import { PasswordHasher } from '../hashing/password-hasher.service';
import type { PasswordChangeReason } from '../password-history/password-history-entry.entity';
import { PasswordHistoryService } from '../password-history/password-history.service';
import { PasswordPolicyService } from '../policy/password-policy.service';
import type { PasswordPolicy, PolicyViolation } from '../policy/password-policy.types';
import { PASSWORD_ATTEMPTS, type PasswordAttempts } from '../users/password-attempts';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

export interface PasswordWrite {
  user: User;
  newPassword: string;
  reason: PasswordChangeReason;
  mustChangePassword: boolean;
  policy: PasswordPolicy;
  /** The new password's hash when {@link PasswordWriter.assertAcceptable} made it already. */
  passwordHash?: string;
  /** Runs inside the write's transaction (e.g. spends the one-time code or state token). */
  beforeCommit?: (manager: EntityManager) => Promise<void>;
}

/** A new password that passed every check, and its hash (made while history was compared). */
export interface AcceptedPassword {
  policy: PasswordPolicy;
  passwordHash: string;
}

/**
 * The last two steps every password flow shares: is the new password acceptable (policy, minimum
 * age, history — every violation at once), and the write (hash, history, credential-version bump
 * that revokes every token, lockout reset) as one transaction conditioned on the version read.
 */
@Injectable()
export class PasswordWriter {
  private readonly logger = new Logger(PasswordWriter.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly policies: PasswordPolicyService,
    private readonly history: PasswordHistoryService,
    @Inject(PASSWORD_ATTEMPTS) private readonly attempts: PasswordAttempts,
  ) {}

  /**
   * Every violation of the policy that applies (the application's override, else the realm's),
   * the minimum age for self-service changes, and reuse of the current or a previous password.
   * Once the rules pass, the new hash (needed anyway) is made beside the history compares, all on
   * the hashing pool. `verifiedCurrentPassword` is the current password when the caller has just
   * verified it: then "same as current" is a constant-time string compare instead of a bcrypt.
   */
  async assertAcceptable(
    user: User,
    newPassword: string,
    clientId: string | null,
    selfService: boolean,
    verifiedCurrentPassword?: string,
    knownPolicy?: PasswordPolicy,
  ): Promise<AcceptedPassword> {
    const policy = knownPolicy ?? (await this.policies.effectivePolicy(clientId));
    const violations: PolicyViolation[] = this.policies.evaluate(newPassword, user, policy);
    if (selfService) {
      const tooSoon = this.policies.evaluateMinAge(user.passwordChangedAt, policy);
      if (tooSoon) violations.push(tooSoon);
    }
    const hashing = violations.length === 0 ? this.hasher.hash(newPassword, policy) : undefined;
    // Awaited below, or dropped when a violation (or an outage) ends the flow first.
    hashing?.catch(() => undefined);
    const reuse = await this.history.findReuse(
      user.id,
      newPassword,
      user.passwordHash,
      policy.history_count,
      verifiedCurrentPassword,
    );
    if (reuse) violations.push(reuse);
    if (violations.length > 0 || !hashing) {
      throw new IdentityError(IdentityErrorCode.PASSWORD_POLICY_VIOLATION, { violations });
    }
    return { policy, passwordHash: await hashing };
  }

  async write(command: PasswordWrite): Promise<User> {
    const { user, reason } = command;
    const passwordHash =
      command.passwordHash ?? (await this.hasher.hash(command.newPassword, command.policy));
    const changedAt = new Date();
    // The write lifts an automatic lock in the row; a counter kept in Redis must forget too, or the
    // next sign-in would be refused and lock again. First, so an outage changes nothing (503).
    await this.attempts.clear(user.id);
    await this.transactions.run(async (manager) => {
      const updated = await this.users.updatePasswordHash(
        manager,
        user.id,
        user.credentialVersion,
        passwordHash,
        { mustChangePassword: command.mustChangePassword, changedAt },
      );
      // Another change committed since we read the user: exactly one of two racing writes wins.
      if (!updated)
        throw new IdentityError(IdentityErrorCode.CONFLICT, {
          reason: 'concurrent password change',
        });
      await this.history.record(manager, user.id, passwordHash, reason, changedAt);
      if (command.beforeCommit) await command.beforeCommit(manager);
    });
    this.logger.log({ userId: user.id, reason }, 'Password written; earlier tokens revoked');
    return this.users.require(user.id);
  }
}
