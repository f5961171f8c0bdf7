import type { User } from './user.entity';
import type { PasswordAttempts } from './password-attempts';
import type { LockoutSettings, UsersService } from './users.service';

/**
 * Attempts counted in the user's row by one conditional UPDATE each (see
 * `UsersService.reservePasswordAttempt`): shared by every replica through the database.
 */
export class DatabasePasswordAttempts implements PasswordAttempts {
  constructor(private readonly users: UsersService) {}

  assertAvailable(): void {
    // The database is reached by the same request anyway; its outage answers 503 on its own.
  }

  reserve(user: User, policy: LockoutSettings, now: Date): Promise<boolean> {
    return this.users.reservePasswordAttempt(user.id, policy, now);
  }

  recordFailure(user: User, policy: LockoutSettings, now: Date): Promise<{ locked: boolean }> {
    return this.users.lockIfThresholdReached(user.id, policy, now);
  }

  recordSuccess(user: User): Promise<void> {
    return this.users.resetFailedLogins(user.id);
  }

  async clear(): Promise<void> {
    // The writes that activate a user or set a password clear the row's counter themselves.
  }
}
