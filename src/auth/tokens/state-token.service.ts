import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { SecretDigestService } from '../../keys/secret-digest.service';
import type { User } from '../../users/user.entity';
import { effectiveUserStatus } from '../../users/users.service';
import type { UserPrincipal } from '../principal';
import { StateToken } from '../sessions/state-token.entity';

const STATE_PURPOSE = 'state-token';
/** Long enough to type a new password, short enough that a leaked token is soon worthless. */
export const STATE_TOKEN_TTL_SECONDS = 300;

export type StateTokenPurpose = 'password_expired' | 'password_warn';

/**
 * State tokens for a forced password change after sign-in (IDaaS `PASSWORD_EXPIRED` /
 * `PASSWORD_WARN`): random, stored as digests, valid five minutes, bound to user, client and
 * credential version, and spent once — by the flow that finishes, not by the check, so a new
 * password the policy refuses can be retried with the same token.
 */
@Injectable()
export class StateTokenService {
  constructor(
    private readonly digests: SecretDigestService,
    @InjectRepository(StateToken) private readonly tokens: Repository<StateToken>,
  ) {}

  async issue(user: User, clientId: string, purpose: StateTokenPurpose): Promise<string> {
    const token = this.digests.randomSecret(32);
    const now = new Date();
    await this.tokens.insert({
      tokenDigest: this.digest(token),
      userId: user.id,
      clientId,
      credentialVersion: user.credentialVersion,
      purpose,
      createdAt: now,
      expiresAt: new Date(now.getTime() + STATE_TOKEN_TTL_SECONDS * 1000),
      usedAt: null,
    });
    return token;
  }

  /** The live, unspent token for `token`, or null; the caller checks the user's credential version. */
  async find(token: string): Promise<StateToken | null> {
    if (!token) return null;
    const stored = await this.tokens.findOneBy({ tokenDigest: this.digest(token) });
    if (!stored || stored.usedAt || stored.expiresAt <= new Date()) return null;
    return stored;
  }

  /**
   * The caller a state token stands for: live and unspent, its user's credentials unchanged since
   * it was issued. It may be used only to finish the forced change (`passwordChangeRequired`), and
   * carries its digest so that flow spends it. Null otherwise.
   */
  async principal(
    token: string,
    loadUser: (id: string) => Promise<User | null>,
  ): Promise<UserPrincipal | null> {
    const stored = await this.find(token);
    const user = stored ? await loadUser(stored.userId) : null;
    if (!stored || !user || user.credentialVersion !== stored.credentialVersion) return null;
    return {
      kind: 'user',
      userId: user.id,
      clientId: stored.clientId,
      scopes: [],
      sessionId: null,
      credentialVersion: user.credentialVersion,
      passwordChangeRequired: true,
      status: effectiveUserStatus(user),
      stateTokenDigest: stored.tokenDigest,
    };
  }

  /**
   * Spends a token by its digest in one conditional UPDATE (inside the caller's transaction when
   * given): of two concurrent uses exactly one succeeds, the other gets TOKEN_INVALID. With
   * `purpose`, only a token issued for it is spent (skipping a warned change needs a warn token).
   */
  async spend(
    tokenDigest: string,
    options: { manager?: EntityManager; purpose?: StateTokenPurpose } = {},
  ): Promise<void> {
    const query = (options.manager ?? this.tokens.manager)
      .createQueryBuilder()
      .update(StateToken)
      .set({ usedAt: new Date() })
      .where('token_digest = :tokenDigest AND used_at IS NULL AND expires_at > :now', {
        tokenDigest,
        now: new Date(),
      });
    if (options.purpose) query.andWhere('purpose = :purpose', { purpose: options.purpose });
    const result = await query.execute();
    if (result.affected !== 1) throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
  }

  digest(token: string): string {
    return this.digests.digest(token, STATE_PURPOSE);
  }
}
