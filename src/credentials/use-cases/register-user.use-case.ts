import { Injectable } from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { TransactionRunner } from '../../database/transaction-runner';
import { PasswordHasher } from '../../hashing/password-hasher.service';
import { PasswordHistoryService } from '../../password-history/password-history.service';
import { PasswordPolicyService } from '../../policy/password-policy.service';
import type { User } from '../../users/user.entity';
import {
  assertUsernameAcceptable,
  type CreateUserInput,
  UsersService,
} from '../../users/users.service';

export interface RegisterUserCommand {
  user: CreateUserInput;
  /** An initial password; without one the user signs in with one-time codes until they set one. */
  password?: string;
  /** The application registering the user; its policy override applies. */
  clientId?: string | null;
}

/**
 * Creates a user, with an initial password when one is given: the policy is checked against the
 * new account's own details, then the user row and its first history entry are written in one
 * transaction.
 */
@Injectable()
export class RegisterUserUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly policies: PasswordPolicyService,
    private readonly history: PasswordHistoryService,
  ) {}

  async execute(command: RegisterUserCommand): Promise<User> {
    const { user: input, password } = command;
    // Before the policy, which would word its findings about an account that cannot exist.
    assertUsernameAcceptable(input.username);
    if (password === undefined) return this.users.create(input);
    const policy = await this.policies.effectivePolicy(command.clientId ?? null);
    const violations = this.policies.evaluate(password, input, policy);
    if (violations.length > 0)
      throw new IdentityError(IdentityErrorCode.PASSWORD_POLICY_VIOLATION, { violations });
    const passwordHash = await this.hasher.hash(password, policy);
    const created = await this.transactions.run(async (manager) => {
      const user = await this.users.create(input, manager);
      await this.users.updatePasswordHash(manager, user.id, user.credentialVersion, passwordHash, {
        mustChangePassword: input.mustChangePassword ?? false,
        changedAt: user.createdAt,
      });
      await this.history.record(manager, user.id, passwordHash, 'initial', user.createdAt);
      return user;
    });
    return this.users.require(created.id);
  }
}
