import { Injectable, Optional } from '@nestjs/common';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../../common/events/identity-events';
import { StateTokenService } from '../../auth/tokens/state-token.service';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { PasswordPolicyService } from '../../policy/password-policy.service';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { PasswordVerifier } from '../password-verifier.service';
import { PasswordWriter } from '../password-writer.service';

export interface ChangePasswordCommand {
  userId: string;
  /** Required when the user has a password; may be omitted only when none is set (IDaaS SDK). */
  currentPassword?: string;
  newPassword: string;
  /** The application the caller's token was issued to; its policy override applies. */
  clientId: string | null;
  /** A forced change authorised by a state token: the token is spent with the write. */
  stateTokenDigest?: string;
}

/**
 * Self-service change. Order (the one every dialect reports, API.md §3): user exists, status,
 * current password (a wrong one counts towards lockout), then policy, minimum age and history
 * together. Every token of the user dies with the write. Cost: one bcrypt to verify, then the
 * history compares and the new hash side by side (two bcrypt times with no history).
 */
@Injectable()
export class ChangePasswordUseCase {
  constructor(
    private readonly users: UsersService,
    private readonly verifier: PasswordVerifier,
    private readonly writer: PasswordWriter,
    private readonly stateTokens: StateTokenService,
    private readonly policies: PasswordPolicyService,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  execute(command: ChangePasswordCommand): Promise<User> {
    return this.events.observe(this.run(command), (outcome) => ({
      kind: 'password_operation',
      operation: 'change',
      outcome,
    }));
  }

  private async run(command: ChangePasswordCommand): Promise<User> {
    const user = await this.users.require(command.userId);
    this.users.assertActive(user);
    // Read once: the lockout of the current-password check and the rules of the new one.
    const effectivePolicy = await this.policies.effectivePolicy(command.clientId);
    if (user.passwordHash) {
      if (command.currentPassword === undefined || command.currentPassword === '')
        throw new IdentityError(IdentityErrorCode.CURRENT_PASSWORD_REQUIRED);
      const verdict = await this.verifier.check(
        user,
        command.currentPassword,
        command.clientId,
        effectivePolicy,
      );
      // Attempts used up by a burst of guesses: the account is locked, not merely wrong.
      if (verdict === 'locked') throw new IdentityError(IdentityErrorCode.USER_LOCKED);
      if (verdict === 'mismatch') throw new IdentityError(IdentityErrorCode.WRONG_PASSWORD);
    }
    const { policy, passwordHash } = await this.writer.assertAcceptable(
      user,
      command.newPassword,
      command.clientId,
      true,
      // Verified just above: "same as current" needs no second bcrypt compare.
      user.passwordHash ? command.currentPassword : undefined,
      effectivePolicy,
    );
    const { stateTokenDigest } = command;
    return this.writer.write({
      user,
      newPassword: command.newPassword,
      reason: 'change',
      mustChangePassword: false,
      policy,
      passwordHash,
      beforeCommit: stateTokenDigest
        ? (manager) => this.stateTokens.spend(stateTokenDigest, { manager })
        : undefined,
    });
  }
}
