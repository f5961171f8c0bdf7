import type { User } from './user.entity';
import type { LockoutSettings } from './users.service';

/**
 * Where the lockout counts password attempts: the user's row (`DatabasePasswordAttempts`, the
 * default) or Redis when `REDIS_URL` is set (`RedisPasswordAttempts`), chosen once at start. Both
 * keep the same contract: a burst of any size, on any number of replicas, gets at most
 * `lockout_threshold` password compares per window, and a lock, once decided, is written to the
 * user's row, so the status administrators see is the one sign-in enforces.
 */
export interface PasswordAttempts {
  /**
   * Throws SERVICE_BUSY when the counter cannot be reached. Called for unknown users too, so an
   * outage answers a known and an unknown user alike.
   */
  assertAvailable(): void;
  /**
   * Reserves one compare before it is made; false when none is left in this window (or the user
   * is not active): the password must not be compared.
   */
  reserve(user: User, policy: LockoutSettings, now: Date): Promise<boolean>;
  /** After a wrong password: locks the user once the threshold is reached. */
  recordFailure(user: User, policy: LockoutSettings, now: Date): Promise<{ locked: boolean }>;
  /** After a right password: forgets the failures and an automatic lock that has run out. */
  recordSuccess(user: User): Promise<void>;
  /** After an administrator activates the user or a password is written: forgets the failures. */
  clear(userId: string): Promise<void>;
}

/** Injection token of the `PasswordAttempts` chosen at start. */
export const PASSWORD_ATTEMPTS = Symbol('PasswordAttempts');
