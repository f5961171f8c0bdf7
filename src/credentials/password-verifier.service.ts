import { Injectable, Logger } from '@nestjs/common';
import { PasswordHasher } from '../hashing/password-hasher.service';
import { PasswordPolicyService } from '../policy/password-policy.service';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

/**
 * Checks a user's password wherever one is presented (sign-in, the current password of a
 * change). A wrong password counts towards lockout under the caller's policy; a right one clears
 * the count and upgrades a hash made at an old cost.
 */
@Injectable()
export class PasswordVerifier {
  private readonly logger = new Logger(PasswordVerifier.name);

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly policies: PasswordPolicyService,
  ) {}

  /**
   * True when `password` is the user's. With no user (or no password set) it still costs one
   * bcrypt compare against a dummy hash, so the caller's timing does not tell the cases apart.
   */
  async matches(user: User | null, password: string, clientId: string | null): Promise<boolean> {
    const matched = await this.hasher.verify(password, user?.passwordHash);
    if (!user) return false;
    if (!matched) {
      await this.recordFailure(user, clientId);
      return false;
    }
    await this.afterSuccessfulCheck(user, password);
    return true;
  }

  private async recordFailure(user: User, clientId: string | null): Promise<void> {
    const policy = await this.policies.effectivePolicy(clientId);
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
