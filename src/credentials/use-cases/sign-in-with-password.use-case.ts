import { Injectable, Logger, Optional } from '@nestjs/common';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../../common/events/identity-events';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { PasswordPolicyService } from '../../policy/password-policy.service';
import type { PasswordPolicy } from '../../policy/password-policy.types';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { PasswordVerifier } from '../password-verifier.service';

export interface SignInWithPasswordCommand {
  /** A login (username, email or phone number) or, for Huawei IAM, the user id. */
  identifier: { login: string } | { userId: string };
  password: string;
  /** The application signed in to; its policy override decides expiry and lockout. */
  clientId: string;
}

/**
 * The state of the password that was just proven: `must_change` (set by an administrator or a
 * flag), `expired` (`max_age_days` passed), `expiring` (within `expiry_warn_days`) or `ok`.
 */
export type PasswordState = 'ok' | 'expiring' | 'expired' | 'must_change';

export interface SignInResult {
  user: User;
  passwordState: PasswordState;
  /** When the password expires under the applicable policy; null when it never does. */
  passwordExpiresAt: Date | null;
  policy: PasswordPolicy;
}

/**
 * Sign-in with a password, shared by every dialect (native password grant, Huawei
 * `/v3/auth/tokens`, IDaaS SDK login). An unknown user, a wrong password and a frozen or locked
 * user get one and the same INVALID_CREDENTIALS at the same cost (API.md §4): one bcrypt compare
 * each, so neither the answer nor its timing tells which. A wrong password counts towards lockout.
 */
@Injectable()
export class SignInWithPasswordUseCase {
  private readonly logger = new Logger(SignInWithPasswordUseCase.name);

  constructor(
    private readonly users: UsersService,
    private readonly verifier: PasswordVerifier,
    private readonly policies: PasswordPolicyService,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  async execute(command: SignInWithPasswordCommand): Promise<SignInResult> {
    const user =
      'userId' in command.identifier
        ? await this.users.findById(command.identifier.userId)
        : await this.users.findByLogin(command.identifier.login);
    // Status first: a frozen or locked account must not confirm a guess, nor count further ones.
    if (user && this.users.effectiveStatus(user) !== 'active') {
      await this.verifier.check(null, command.password, null);
      this.logger.log({ userId: user.id }, 'Sign-in refused: user not active');
      this.events.record({ kind: 'sign_in', method: 'password', outcome: 'inactive' });
      throw new IdentityError(IdentityErrorCode.INVALID_CREDENTIALS);
    }
    // Read once: the lockout settings of the check and the expiry of the answer.
    const policy = await this.policies.effectivePolicy(command.clientId);
    const verdict = await this.verifier.check(user, command.password, command.clientId, policy);
    if (verdict !== 'match' || !user) {
      const outcome = verdict === 'locked' ? 'locked' : 'invalid_credentials';
      this.events.record({ kind: 'sign_in', method: 'password', outcome });
      throw new IdentityError(IdentityErrorCode.INVALID_CREDENTIALS);
    }
    this.events.record({ kind: 'sign_in', method: 'password', outcome: 'success' });
    const expiry = this.policies.passwordExpiry(user.passwordChangedAt, policy);
    return {
      user,
      policy,
      passwordExpiresAt: expiry.expiresAt,
      passwordState: user.mustChangePassword
        ? 'must_change'
        : expiry.expired
          ? 'expired'
          : expiry.expiringSoon
            ? 'expiring'
            : 'ok',
    };
  }
}
