import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { Brackets, type EntityManager, Repository } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { isUniqueViolation } from '../database/unique-violation';
import { User, type UserRole, type UserStatus } from './user.entity';

export interface CreateUserInput {
  username: string;
  email?: string | null;
  phoneNumber?: string | null;
  name?: string | null;
  mustChangePassword?: boolean;
  roles?: UserRole[];
}

export interface UpdateUserInput {
  status?: UserStatus;
  roles?: UserRole[];
  email?: string | null;
  phoneNumber?: string | null;
  name?: string | null;
}

export interface ListUsersQuery {
  username?: string;
  email?: string;
  phoneNumber?: string;
  limit: number;
  cursor?: string;
}

export interface LockoutSettings {
  lockout_threshold: number;
  lockout_window_seconds: number;
  lockout_duration_seconds: number;
}

/**
 * Characters RFC 8265 (PRECIS IdentifierClass) disallows in a username, checked after NFKC:
 * controls (NUL…), format characters (bidi overrides such as U+202E, zero-width characters, the
 * soft hyphen), default-ignorable and invisible code points, spaces, private-use, surrogate and
 * unassigned code points. Each would let two accounts look identical or hide text.
 */
const DISALLOWED_IN_USERNAME =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Z}\p{Default_Ignorable_Code_Point}]/u;

/** Refuses a username the PRECIS UsernameCaseMapped profile would not accept (after NFKC). */
export function assertUsernameAcceptable(username: string): void {
  const normalized = username.normalize('NFKC');
  if (normalized.length === 0 || DISALLOWED_IN_USERNAME.test(normalized)) {
    throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
      fields: [
        {
          field: 'username',
          problems: ['username must not contain controls, spaces or invisible characters'],
        },
      ],
    });
  }
}

/** The unique key of a username: NFKC and case-folded, so `Alice` and `ａｌｉｃｅ` are one account. */
export const usernameKey = (username: string): string => username.normalize('NFKC').toLowerCase();

/** The status that applies now: a `locked` user whose automatic lock has run out is active again. */
export function effectiveUserStatus(user: User, now = new Date()): UserStatus {
  if (user.status === 'locked' && user.lockedUntil && user.lockedUntil.getTime() <= now.getTime())
    return 'active';
  return user.status;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly config: AppConfig,
  ) {}

  /** Null for an empty id: TypeORM reads `{ id: undefined }` as no condition at all (the first row). */
  async findById(id: string): Promise<User | null> {
    if (typeof id !== 'string' || id === '') return null;
    return this.users.findOneBy({ id });
  }

  async require(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new IdentityError(IdentityErrorCode.USER_NOT_FOUND);
    return user;
  }

  /** Sign-in identifier: email when it has an @, else username, else phone number. */
  async findByLogin(identifier: string): Promise<User | null> {
    const trimmed = identifier.trim();
    if (!trimmed) return null;
    if (trimmed.includes('@')) {
      const byEmail = await this.findByEmail(trimmed);
      if (byEmail) return byEmail;
    }
    const byUsername = await this.users.findOneBy({ usernameKey: usernameKey(trimmed) });
    if (byUsername) return byUsername;
    const phone = this.normalizePhoneNumber(trimmed);
    return phone ? this.findByPhoneNumber(phone) : null;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  async findByPhoneNumber(phone: string): Promise<User | null> {
    const normalized = this.normalizePhoneNumber(phone);
    return normalized ? this.users.findOneBy({ phoneNumber: normalized }) : null;
  }

  /** E.164; a national number without `+` is read in DEFAULT_PHONE_REGION. */
  normalizePhoneNumber(input: string): string | null {
    const parsed = parsePhoneNumberFromString(
      input.trim(),
      this.config.defaultPhoneRegion as CountryCode,
    );
    return parsed?.isValid() ? parsed.number : null;
  }

  effectiveStatus(user: User, now = new Date()): UserStatus {
    return effectiveUserStatus(user, now);
  }

  assertActive(user: User, now = new Date()): void {
    const status = this.effectiveStatus(user, now);
    if (status === 'frozen') throw new IdentityError(IdentityErrorCode.USER_FROZEN);
    if (status === 'locked') throw new IdentityError(IdentityErrorCode.USER_LOCKED);
  }

  async create(input: CreateUserInput, manager?: EntityManager): Promise<User> {
    assertUsernameAcceptable(input.username);
    const now = new Date();
    const user = this.users.create({
      id: randomUUID(),
      username: input.username.normalize('NFKC'),
      usernameKey: usernameKey(input.username),
      email: this.normalizeEmailField(input.email),
      phoneNumber: this.normalizePhoneField(input.phoneNumber),
      name: input.name ?? null,
      status: 'active',
      roles: input.roles ?? [],
      passwordHash: null,
      mustChangePassword: input.mustChangePassword ?? false,
      passwordChangedAt: null,
      credentialVersion: 0,
      failedLoginCount: 0,
      failedLoginWindowStartedAt: null,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.uniquely(() => (manager ?? this.users.manager).insert(User, user));
    return user;
  }

  async update(id: string, input: UpdateUserInput): Promise<User> {
    const user = await this.require(id);
    const changes: Partial<User> = { updatedAt: new Date() };
    if (input.email !== undefined) changes.email = this.normalizeEmailField(input.email);
    if (input.phoneNumber !== undefined)
      changes.phoneNumber = this.normalizePhoneField(input.phoneNumber);
    if (input.name !== undefined) changes.name = input.name;
    if (input.roles !== undefined) changes.roles = input.roles;
    if (input.status !== undefined) {
      changes.status = input.status;
      // An administrator's lock is indefinite; activating clears any lockout and its counter.
      changes.lockedUntil = null;
      if (input.status === 'active') {
        changes.failedLoginCount = 0;
        changes.failedLoginWindowStartedAt = null;
      }
    }
    await this.uniquely(() => this.users.update({ id: user.id }, changes));
    return this.require(id);
  }

  async remove(id: string): Promise<void> {
    const result = await this.users.delete({ id });
    if (!result.affected) throw new IdentityError(IdentityErrorCode.USER_NOT_FOUND);
  }

  /** Keyset pagination on (created_at, id); the cursor is opaque to clients. */
  async list(query: ListUsersQuery): Promise<{ users: User[]; nextCursor: string | null }> {
    const qb = this.users.createQueryBuilder('u');
    if (query.username !== undefined)
      qb.andWhere('u.username_key = :key', { key: usernameKey(query.username) });
    if (query.email !== undefined)
      qb.andWhere('u.email = :email', { email: query.email.trim().toLowerCase() });
    if (query.phoneNumber !== undefined) {
      qb.andWhere('u.phone_number = :phone', {
        phone: this.normalizePhoneNumber(query.phoneNumber) ?? '',
      });
    }
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      qb.andWhere(
        new Brackets((w) => {
          w.where('u.created_at > :createdAt', { createdAt }).orWhere(
            'u.created_at = :createdAt AND u.id > :id',
            {
              createdAt,
              id,
            },
          );
        }),
      );
    }
    const rows = await qb
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .take(query.limit + 1)
      .getMany();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      users: page,
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  /**
   * Reserves one password check before it is made (Keycloak #9123): one conditional UPDATE counts
   * the attempt only while the user is active (or an automatic lock has run out) and the failures
   * in the current window are below the threshold, so a burst of any size, on any number of
   * replicas, gets at most `lockout_threshold` compares per window. A new window starts when the
   * old one has expired. False when no attempt is left: the password must not be compared.
   */
  async reservePasswordAttempt(
    userId: string,
    policy: LockoutSettings,
    now: Date,
  ): Promise<boolean> {
    const windowStart = new Date(now.getTime() - policy.lockout_window_seconds * 1000);
    const expiredWindow =
      '(failed_login_window_started_at IS NULL OR failed_login_window_started_at < :windowStart)';
    const qb = this.users
      .createQueryBuilder()
      .update(User)
      .set({
        failedLoginCount: () => `CASE WHEN ${expiredWindow} THEN 1 ELSE failed_login_count + 1 END`,
        failedLoginWindowStartedAt: () =>
          `CASE WHEN ${expiredWindow} THEN :now ELSE failed_login_window_started_at END`,
      })
      .where('id = :userId', { userId })
      .andWhere(
        "(status = 'active' OR (status = 'locked' AND locked_until IS NOT NULL AND locked_until <= :now))",
      );
    if (policy.lockout_threshold > 0) {
      qb.andWhere(`(${expiredWindow} OR failed_login_count < :threshold)`, {
        threshold: policy.lockout_threshold,
      });
    }
    const result = await qb.setParameters({ windowStart, now }).execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * After a failed check: locks the user for `lockout_duration_seconds`
   * once the window's failures reached the threshold. Conditional, so concurrent callers lock once.
   */
  async lockIfThresholdReached(
    userId: string,
    policy: LockoutSettings,
    now: Date,
  ): Promise<{ locked: boolean }> {
    if (policy.lockout_threshold <= 0) return { locked: false };
    const windowStart = new Date(now.getTime() - policy.lockout_window_seconds * 1000);
    return this.lockUnlessHeld(
      userId,
      policy,
      now,
      'failed_login_count >= :threshold AND failed_login_window_started_at >= :windowStart',
      { threshold: policy.lockout_threshold, windowStart },
    );
  }

  /**
   * Locks the user for `lockout_duration_seconds` when a counter kept outside the row (Redis, see
   * `RedisPasswordAttempts`) has reached the threshold. Conditional on the status, so concurrent
   * callers lock once and a frozen user or an administrator's lock stays as it is.
   */
  async lockAfterFailedLogins(
    userId: string,
    policy: LockoutSettings,
    now: Date,
  ): Promise<{ locked: boolean }> {
    return this.lockUnlessHeld(userId, policy, now, 'TRUE', {});
  }

  /**
   * One conditional UPDATE: locks an active user (or one whose lock has expired) for
   * `lockout_duration_seconds` when `condition` holds; a frozen user or an administrator's lock
   * stays as it is, and concurrent callers lock once.
   */
  private async lockUnlessHeld(
    userId: string,
    policy: LockoutSettings,
    now: Date,
    condition: string,
    parameters: Record<string, unknown>,
  ): Promise<{ locked: boolean }> {
    const locked = await this.users
      .createQueryBuilder()
      .update(User)
      .set({
        status: 'locked',
        lockedUntil: new Date(now.getTime() + policy.lockout_duration_seconds * 1000),
        updatedAt: now,
      })
      .where(
        `id = :userId AND ${condition} AND (status = 'active' OR (status = 'locked' AND locked_until IS NOT NULL AND locked_until <= :now))`,
        { ...parameters, userId, now },
      )
      .execute();
    return { locked: (locked.affected ?? 0) > 0 };
  }

  /** After a successful check: forget failures and an expired automatic lock. */
  async resetFailedLogins(userId: string): Promise<void> {
    // One statement on the sign-in path: the count and an automatic lock that has run out.
    const expiredLock = "status = 'locked' AND locked_until IS NOT NULL AND locked_until <= :now";
    await this.users
      .createQueryBuilder()
      .update(User)
      .set({
        failedLoginCount: 0,
        failedLoginWindowStartedAt: null,
        status: () => `CASE WHEN ${expiredLock} THEN 'active' ELSE status END`,
        lockedUntil: () => `CASE WHEN ${expiredLock} THEN NULL ELSE locked_until END`,
      })
      .where('id = :userId', { userId })
      .setParameters({ now: new Date() })
      .execute();
  }

  /**
   * Writes a new password hash if nobody else did since `expectedCredentialVersion` was read, and
   * bumps the version (which revokes every token). Also clears failures and an automatic lock;
   * a frozen user or an administrator's lock stays. True when this write won.
   */
  async updatePasswordHash(
    manager: EntityManager,
    userId: string,
    expectedCredentialVersion: number,
    passwordHash: string,
    options: { mustChangePassword: boolean; changedAt: Date },
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(User)
      .set({
        passwordHash,
        credentialVersion: () => 'credential_version + 1',
        mustChangePassword: options.mustChangePassword,
        passwordChangedAt: options.changedAt,
        failedLoginCount: 0,
        failedLoginWindowStartedAt: null,
        status: () =>
          "CASE WHEN status = 'locked' AND locked_until IS NOT NULL THEN 'active' ELSE status END",
        lockedUntil: null,
        updatedAt: options.changedAt,
      })
      .where('id = :userId AND credential_version = :expected', {
        userId,
        expected: expectedCredentialVersion,
      })
      .execute();
    return result.affected === 1;
  }

  /** Replaces a hash made at an old cost; not a credential change, so tokens stay valid. */
  async rehashPassword(userId: string, oldHash: string, newHash: string): Promise<void> {
    await this.users.update({ id: userId, passwordHash: oldHash }, { passwordHash: newHash });
  }

  private normalizeEmailField(email: string | null | undefined): string | null {
    if (email === undefined || email === null || email.trim() === '') return null;
    return email.trim().toLowerCase();
  }

  private normalizePhoneField(phone: string | null | undefined): string | null {
    if (phone === undefined || phone === null || phone.trim() === '') return null;
    const normalized = this.normalizePhoneNumber(phone);
    if (!normalized) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [
          { field: 'phone_number', problems: ['phone_number must be a valid phone number'] },
        ],
      });
    }
    return normalized;
  }

  private async uniquely<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new IdentityError(IdentityErrorCode.CONFLICT, {
          reason: 'username, email or phone number taken',
        });
      }
      throw error;
    }
  }
}

function encodeCursor(user: User): string {
  return Buffer.from(JSON.stringify([user.createdAt.toISOString(), user.id])).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return [date, id];
  } catch {
    throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
      fields: [{ field: 'cursor', problems: ['invalid cursor'] }],
    });
  }
}
