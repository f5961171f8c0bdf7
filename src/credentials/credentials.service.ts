import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { TransactionRunner } from '../database/transaction-runner';
import { PasswordHasher } from '../hashing/password-hasher.service';
import type { PasswordChangeReason } from '../password-history/password-history-entry.entity';
import { PasswordHistoryService } from '../password-history/password-history.service';
import { PasswordPolicyService } from '../policy/password-policy.service';
import type { PasswordPolicy, PolicyViolation } from '../policy/password-policy.types';
import type { User } from '../users/user.entity';
import { type CreateUserInput, UsersService } from '../users/users.service';

export interface ChangePasswordCommand {
  userId: string;
  /** Required when the user has a password; may be omitted only when none is set (IDaaS SDK). */
  currentPassword?: string;
  newPassword: string;
  /** The application the caller's token was issued to; its policy override applies. */
  clientId?: string | null;
}

export interface SetPasswordByAdminCommand {
  userId: string;
  newPassword: string;
  /** A password an administrator chose is temporary by default (ASVS 6.4.6). */
  mustChangePassword?: boolean;
  clientId?: string | null;
}

export interface ResetPasswordCommand {
  userId: string;
  newPassword: string;
  clientId?: string | null;
}

/**
 * The password flows every dialect shares: sign-in with lockout, change (with the current
 * password), administrator set and reset. Policy and history are checked together and reported as
 * one list of violations; the write (hash, history, `credential_version` bump that revokes every
 * token, lockout reset) is one transaction conditioned on the version that was read.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly policies: PasswordPolicyService,
    private readonly history: PasswordHistoryService,
  ) {}

  /**
   * Checks a sign-in. Unknown users cost one dummy bcrypt compare, like known ones. A frozen or
   * locked user is refused whatever the password, so a locked account cannot be used as an
   * oracle to confirm a guess; failures count towards lockout atomically.
   */
  async authenticate(
    identifier: string,
    password: string,
    clientId?: string | null,
  ): Promise<User> {
    const user = await this.users.findByLogin(identifier);
    const matched = await this.hasher.verify(password, user?.passwordHash);
    if (!user) throw new IdentityError(IdentityErrorCode.INVALID_CREDENTIALS);
    this.users.assertActive(user);
    if (!matched) {
      await this.recordFailure(user, clientId);
      throw new IdentityError(IdentityErrorCode.INVALID_CREDENTIALS);
    }
    await this.afterSuccessfulCheck(user, password);
    return user;
  }

  /** The current password of a change flow; a wrong one counts towards lockout. */
  async verifyCurrentPassword(
    user: User,
    password: string,
    clientId?: string | null,
  ): Promise<void> {
    const matched = await this.hasher.verify(password, user.passwordHash);
    if (!matched) {
      await this.recordFailure(user, clientId);
      throw new IdentityError(IdentityErrorCode.WRONG_PASSWORD);
    }
    await this.afterSuccessfulCheck(user, password);
  }

  /**
   * Creates a user, with an initial password when one is given: policy checked against the new
   * account's own details, then the user row and its first history entry in one transaction.
   */
  async registerUser(input: CreateUserInput, password?: string): Promise<User> {
    if (password === undefined) return this.users.create(input);
    const policy = await this.policies.effectivePolicy(null);
    const violations = this.policies.evaluate(
      password,
      {
        username: input.username,
        email: input.email,
        phoneNumber: input.phoneNumber,
        name: input.name,
      },
      policy,
    );
    if (violations.length > 0) {
      throw new IdentityError(IdentityErrorCode.PASSWORD_POLICY_VIOLATION, { violations });
    }
    const passwordHash = await this.hasher.hash(password);
    const user = await this.transactions.run(async (manager) => {
      const created = await this.users.create(input, manager);
      const changedAt = created.createdAt;
      await this.users.updatePasswordHash(
        manager,
        created.id,
        created.credentialVersion,
        passwordHash,
        {
          mustChangePassword: input.mustChangePassword ?? false,
          changedAt,
        },
      );
      await this.history.record(
        manager,
        created.id,
        passwordHash,
        'initial',
        policy.history_count,
        changedAt,
      );
      return created;
    });
    return this.requireUser(user.id);
  }

  /** Self-service change: status, current password, then policy, min age and history. */
  async changePassword(command: ChangePasswordCommand): Promise<User> {
    const user = await this.requireUser(command.userId);
    this.users.assertActive(user);
    if (user.passwordHash) {
      if (command.currentPassword === undefined || command.currentPassword === '') {
        throw new IdentityError(IdentityErrorCode.CURRENT_PASSWORD_REQUIRED);
      }
      await this.verifyCurrentPassword(user, command.currentPassword, command.clientId);
    }
    const policy = await this.assertAcceptable(user, command.newPassword, command.clientId, true);
    return this.writePassword(user, command.newPassword, 'change', false, policy);
  }

  /** Administrator set: policy and history apply, minimum age does not; status is not required. */
  async setPasswordByAdmin(command: SetPasswordByAdminCommand): Promise<User> {
    const user = await this.requireUser(command.userId);
    const policy = await this.assertAcceptable(user, command.newPassword, command.clientId, false);
    return this.writePassword(
      user,
      command.newPassword,
      'admin',
      command.mustChangePassword ?? true,
      policy,
    );
  }

  /**
   * Reset after the caller proved control of the email or phone (an OTP). A frozen user, or one
   * locked by an administrator, cannot reset; an automatic lockout is cleared by the reset.
   */
  async resetPassword(
    command: ResetPasswordCommand,
    beforeCommit?: (manager: EntityManager) => Promise<void>,
  ): Promise<User> {
    const user = await this.requireUser(command.userId);
    const status = this.users.effectiveStatus(user);
    if (status === 'frozen') throw new IdentityError(IdentityErrorCode.USER_FROZEN);
    if (status === 'locked' && user.lockedUntil === null) {
      throw new IdentityError(IdentityErrorCode.USER_LOCKED);
    }
    const policy = await this.assertAcceptable(user, command.newPassword, command.clientId, false);
    return this.writePassword(user, command.newPassword, 'reset', false, policy, beforeCommit);
  }

  /**
   * Every violation of the policy that applies (the application's override, else the realm's),
   * the minimum age for self-service changes, and reuse of the current or a previous password.
   * The bcrypt compares against history run in parallel on the hashing pool.
   */
  async assertAcceptable(
    user: User,
    newPassword: string,
    clientId: string | null | undefined,
    selfService: boolean,
  ): Promise<PasswordPolicy> {
    const policy = await this.policies.effectivePolicy(clientId ?? null);
    const violations: PolicyViolation[] = this.policies.evaluate(
      newPassword,
      {
        username: user.username,
        email: user.email,
        phoneNumber: user.phoneNumber,
        name: user.name,
      },
      policy,
    );
    if (selfService) {
      const tooSoon = this.policies.evaluateMinAge(user.passwordChangedAt, policy);
      if (tooSoon) violations.push(tooSoon);
    }
    const reuse = await this.history.findReuse(
      user.id,
      newPassword,
      user.passwordHash,
      policy.history_count,
    );
    if (reuse) violations.push(reuse);
    if (violations.length > 0) {
      throw new IdentityError(IdentityErrorCode.PASSWORD_POLICY_VIOLATION, { violations });
    }
    return policy;
  }

  private async writePassword(
    user: User,
    newPassword: string,
    reason: PasswordChangeReason,
    mustChangePassword: boolean,
    policy: PasswordPolicy,
    beforeCommit?: (manager: EntityManager) => Promise<void>,
  ): Promise<User> {
    const passwordHash = await this.hasher.hash(newPassword);
    const changedAt = new Date();
    await this.transactions.run(async (manager) => {
      const updated = await this.users.updatePasswordHash(
        manager,
        user.id,
        user.credentialVersion,
        passwordHash,
        { mustChangePassword, changedAt },
      );
      // Another change committed since we read the user: exactly one of two racing writes wins.
      if (!updated)
        throw new IdentityError(IdentityErrorCode.CONFLICT, {
          reason: 'concurrent password change',
        });
      await this.history.record(
        manager,
        user.id,
        passwordHash,
        reason,
        policy.history_count,
        changedAt,
      );
      if (beforeCommit) await beforeCommit(manager);
    });
    this.logger.log({ userId: user.id, reason }, 'Password written; earlier tokens revoked');
    return this.requireUser(user.id);
  }

  private async requireUser(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw new IdentityError(IdentityErrorCode.USER_NOT_FOUND);
    return user;
  }

  private async recordFailure(user: User, clientId: string | null | undefined): Promise<void> {
    const policy = await this.policies.effectivePolicy(clientId ?? null);
    const { locked } = await this.users.recordFailedLogin(user.id, policy, new Date());
    if (locked)
      this.logger.warn({ userId: user.id }, 'User locked after repeated password failures');
  }

  private async afterSuccessfulCheck(user: User, password: string): Promise<void> {
    if (user.failedLoginCount > 0) await this.users.resetFailedLogins(user.id);
    if (user.passwordHash && this.hasher.needsRehash(user.passwordHash)) {
      const rehashed = await this.hasher.hash(password);
      await this.users.rehashPassword(user.id, user.passwordHash, rehashed);
    }
  }
}
