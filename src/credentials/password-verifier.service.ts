import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../common/events/identity-events';
import { PasswordHasher } from '../hashing/password-hasher.service';
import { PasswordPolicyService } from '../policy/password-policy.service';
import { PASSWORD_ATTEMPTS, type PasswordAttempts } from '../users/password-attempts';
import type { User } from '../users/user.entity';
import { type LockoutSettings, UsersService } from '../users/users.service';

/**
 * What a password check found: the user's password, a wrong one, or no check at all because the
 * user's attempts in this lockout window are used up (or the user is not active).
 */
export type PasswordVerdict = 'match' | 'mismatch' | 'locked';

/**
 * Checks a user's password wherever one is presented (sign-in, the current password of a
 * change). Each check first reserves an attempt atomically (`PasswordAttempts`: the user's row,
 * or Redis when configured), so parallel guesses cannot outrun the lockout; a wrong
 * password keeps its attempt counted and may lock the user, a right one clears the count and
 * upgrades a hash made at an old cost. Every path costs one bcrypt compare, so timing tells nothing.
 */
@Injectable()
export class PasswordVerifier {
  private readonly logger = new Logger(PasswordVerifier.name);

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly policies: PasswordPolicyService,
    @Inject(PASSWORD_ATTEMPTS) private readonly attempts: PasswordAttempts,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  /**
   * With no user, a dummy compare and `mismatch`: an unknown user looks like a wrong password.
   * `lockout` is the caller's policy when it has read it already (sign-in needs it for expiry
   * too), else the one of `clientId` is read.
   */
  async check(
    user: User | null,
    password: string,
    clientId: string | null,
    lockout?: LockoutSettings,
  ): Promise<PasswordVerdict> {
    if (!user) {
      this.attempts.assertAvailable();
      await this.hasher.verify(password, null);
      return 'mismatch';
    }
    const policy = lockout ?? (await this.policies.effectivePolicy(clientId));
    const now = new Date();
    // Shed before reserving: a sign-in refused for load must not use up the user's attempts.
    this.hasher.assertCapacity();
    if (!(await this.attempts.reserve(user, policy, now))) {
      // The window's attempts are used up: by failures, the last of which locked the user, or by
      // checks still in flight, which lock on their own if they fail. Locking here too would lock
      // a user whose app sent more than `lockout_threshold` right passwords at once.
      await this.hasher.verify(password, null);
      return 'locked';
    }
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      await this.lock(user, policy, now);
      return 'mismatch';
    }
    await this.attempts.recordSuccess(user);
    if (user.passwordHash && this.hasher.needsRehash(user.passwordHash)) {
      const rehashed = await this.hasher.hash(password);
      await this.users.rehashPassword(user.id, user.passwordHash, rehashed);
    }
    return 'match';
  }

  private async lock(user: User, policy: LockoutSettings, now: Date): Promise<void> {
    const { locked } = await this.attempts.recordFailure(user, policy, now);
    if (locked) {
      this.logger.warn({ userId: user.id }, 'User locked after repeated password failures');
      this.events.record({ kind: 'lockout' });
    }
  }
}
