import { Injectable, Optional } from '@nestjs/common';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../../common/events/identity-events';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { OtpChannel } from '../../otp/otp-challenge.entity';
import { OtpService } from '../../otp/otp.service';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { PasswordWriter } from '../password-writer.service';

export interface ChangePasswordWithOtpCommand {
  /** The signed-in user; the code must have been sent to this user's own email or phone. */
  userId: string;
  /** The application the caller's token was issued to: the code is bound to it, its policy applies. */
  clientId: string;
  channel: OtpChannel;
  code: string;
  newPassword: string;
}

/**
 * A signed-in user changes the password by proving control of the account's email or phone
 * instead of typing the current password (IDaaS SDK `update-by-mobile` / `update-by-email` with a
 * Bearer id_token). The code (usage `change_password`) is checked by target — the user's own
 * address, never one the caller names — before the policy, and consumed in the write's transaction,
 * so a password the policy refuses leaves the code usable. It is a self-service change: minimum
 * age and history apply, and every token of the user dies with the write.
 */
@Injectable()
export class ChangePasswordWithOtpUseCase {
  constructor(
    private readonly users: UsersService,
    private readonly otp: OtpService,
    private readonly writer: PasswordWriter,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  execute(command: ChangePasswordWithOtpCommand): Promise<User> {
    return this.events.observe(this.run(command), (outcome) => ({
      kind: 'password_operation',
      operation: 'change',
      outcome,
    }));
  }

  private async run(command: ChangePasswordWithOtpCommand): Promise<User> {
    const user = await this.users.require(command.userId);
    this.users.assertActive(user);
    const target = command.channel === 'sms' ? user.phoneNumber : user.email?.toLowerCase();
    // No address of that kind: no code can have been sent to it, so the code is wrong.
    if (!target) throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
    const challengeId = await this.otp.verifyChallengeByTarget(
      {
        clientId: command.clientId,
        channel: command.channel,
        target,
        usage: 'change_password',
        code: command.code,
      },
      { consume: false },
    );
    const { policy, passwordHash } = await this.writer.assertAcceptable(
      user,
      command.newPassword,
      command.clientId,
      true,
    );
    try {
      return await this.writer.write({
        user,
        newPassword: command.newPassword,
        reason: 'change',
        mustChangePassword: false,
        policy,
        passwordHash,
        beforeCommit: (manager) => this.otp.consumeChallengeById(challengeId, manager),
      });
    } catch (error) {
      // Two changes raced with one code: the other one won, so this code is spent.
      if (error instanceof IdentityError && error.code === IdentityErrorCode.CONFLICT)
        throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
      throw error;
    }
  }
}
