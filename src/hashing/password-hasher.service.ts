import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../common/events/identity-events';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../policy/password-policy.types';
import { violation } from '../policy/violations';
import { ConcurrencyLimiter } from './concurrency-limiter';

/** bcrypt reads at most 72 bytes of its input; longer input would be silently truncated. */
export const BCRYPT_MAX_BYTES = 72;

/** Passwords are compared and hashed in Unicode NFKC form, so visually equal input matches. */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

export const passwordByteLength = (password: string): number =>
  Buffer.byteLength(normalizePassword(password), 'utf8');

/**
 * The length bounds a `length` violation reports beside the byte limit. The hasher does not know
 * the caller's policy, so callers pass theirs; without it the default policy's bounds are shown.
 */
export type LengthBounds = Pick<PasswordPolicy, 'min_length' | 'max_length'>;

/**
 * bcrypt at `BCRYPT_COST`, behind a concurrency limiter sized to the thread pool. Input is
 * NFKC-normalised; input over 72 UTF-8 bytes is refused (never truncated) with a `length`
 * violation.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly limiter: ConcurrencyLimiter;
  private dummyHash = '';

  constructor(
    private readonly config: AppConfig,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {
    this.limiter = new ConcurrencyLimiter(config.bcryptConcurrency, config.bcryptMaxQueue);
  }

  async onModuleInit(): Promise<void> {
    // A real hash at the configured cost, so a lookup of an unknown user costs one full compare.
    this.dummyHash = await bcrypt.hash('tessera-dummy-password', this.config.bcryptCost);
  }

  /** Hashes running and waiting now (metrics read it when scraped). */
  get load(): { running: number; queued: number } {
    return { running: this.limiter.running, queued: this.limiter.queued };
  }

  /** Whether a hash or compare asked for now would be refused (SERVICE_BUSY). */
  get saturated(): boolean {
    return this.limiter.saturated;
  }

  /**
   * Refuses now (SERVICE_BUSY) when a compare would be refused: for callers that must not spend
   * anything, such as a lockout attempt, on a check that will not run.
   */
  assertCapacity(): void {
    if (this.limiter.saturated) this.refuse();
  }

  get cost(): number {
    return this.config.bcryptCost;
  }

  /** Throws a `length` policy violation when the password cannot be hashed without truncation. */
  assertHashable(password: string, bounds: LengthBounds = DEFAULT_PASSWORD_POLICY): void {
    const bytes = passwordByteLength(password);
    if (bytes > BCRYPT_MAX_BYTES) {
      throw new IdentityError(IdentityErrorCode.PASSWORD_POLICY_VIOLATION, {
        violations: [
          violation.length({
            min: bounds.min_length,
            max: bounds.max_length,
            maxBytes: BCRYPT_MAX_BYTES,
            actualBytes: bytes,
          }),
        ],
      });
    }
  }

  async hash(password: string, bounds?: LengthBounds): Promise<string> {
    this.assertHashable(password, bounds);
    return this.limited('hash', () =>
      bcrypt.hash(normalizePassword(password), this.config.bcryptCost),
    );
  }

  /**
   * Compares `password` with `hash`; with no hash (unknown user, no password set) it compares
   * against a dummy so the caller's timing does not reveal which case it was. Input over 72 bytes
   * never matches (it could not have been stored).
   */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    const tooLong = passwordByteLength(password) > BCRYPT_MAX_BYTES;
    const candidate = normalizePassword(password);
    const matched = await this.limited('compare', () =>
      bcrypt.compare(candidate, hash ?? this.dummyHash),
    );
    return matched && Boolean(hash) && !tooLong;
  }

  /** True when `hash` was made at another cost than the configured one. */
  needsRehash(hash: string): boolean {
    return bcrypt.getRounds(hash) !== this.config.bcryptCost;
  }

  /** Runs `task` in a pool slot, timing the hash itself (not the wait for the slot). */
  private async limited<T>(operation: 'hash' | 'compare', task: () => Promise<T>): Promise<T> {
    const result = await this.limiter.run(async () => {
      const started = process.hrtime.bigint();
      try {
        return await task();
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.events.record({ kind: 'bcrypt', operation, seconds });
      }
    });
    if (!result) this.refuse();
    return result.value;
  }

  private refuse(): never {
    this.events.record({ kind: 'bcrypt_refused' });
    throw new IdentityError(IdentityErrorCode.SERVICE_BUSY, { retryAfterSeconds: 1 });
  }
}
