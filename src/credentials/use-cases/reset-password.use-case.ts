import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { PasswordWriter } from '../password-writer.service';

export interface ResetPasswordCommand {
  userId: string;
  newPassword: string;
  clientId: string | null;
  /** Spends the proof (a one-time code) in the same transaction as the write. */
  beforeCommit?: (manager: EntityManager) => Promise<void>;
}

/**
 * The password step of a reset, after the caller proved control of the email or phone. A frozen
 * user, or one locked by an administrator, cannot reset; an automatic lockout is cleared by it.
 */
@Injectable()
export class ResetPasswordUseCase {
  constructor(
    private readonly users: UsersService,
    private readonly writer: PasswordWriter,
  ) {}

  async execute(command: ResetPasswordCommand): Promise<User> {
    const user = await this.users.require(command.userId);
    const status = this.users.effectiveStatus(user);
    if (status === 'frozen') throw new IdentityError(IdentityErrorCode.USER_FROZEN);
    if (status === 'locked' && user.lockedUntil === null)
      throw new IdentityError(IdentityErrorCode.USER_LOCKED);
    const { policy, passwordHash } = await this.writer.assertAcceptable(
      user,
      command.newPassword,
      command.clientId,
      false,
    );
    return this.writer.write({
      user,
      newPassword: command.newPassword,
      reason: 'reset',
      mustChangePassword: false,
      policy,
      passwordHash,
      beforeCommit: command.beforeCommit,
    });
  }
}
