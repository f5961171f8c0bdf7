import { Injectable, Optional } from '@nestjs/common';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../../common/events/identity-events';
import type { EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { OtpChannel } from '../../otp/otp-challenge.entity';
import { OtpService } from '../../otp/otp.service';
import { ResetPasswordUseCase } from './reset-password.use-case';
import { OtpTargetResolver } from './otp-target.resolver';

export interface ResetPasswordWithOtpCommand {
  clientId: string;
  channel: OtpChannel;
  target: string;
  /**
   * The token the send returned (Tencent). Without one (IDaaS), the code is checked against the
   * newest challenge for the target.
   */
  otpToken?: string;
  code: string;
  newPassword: string;
}

/**
 * Forgotten-password reset with a code sent beforehand (usage `reset_password`), presented with
 * its otp_token or with the target alone. The code is checked before the user is looked up, so a
 * code issued for an unknown target fails as a wrong code. The code is consumed in the same transaction as the password write: a password the policy
 * rejects leaves the code usable, and of two parallel resets with one code exactly one succeeds.
 */
@Injectable()
export class ResetPasswordWithOtpUseCase {
  constructor(
    private readonly otp: OtpService,
    private readonly resetPassword: ResetPasswordUseCase,
    private readonly targets: OtpTargetResolver,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  execute(command: ResetPasswordWithOtpCommand): Promise<void> {
    return this.events.observe(this.run(command), (outcome) => ({
      kind: 'password_operation',
      operation: 'reset',
      outcome,
    }));
  }

  private async run(command: ResetPasswordWithOtpCommand): Promise<void> {
    const { channel } = command;
    try {
      const target = this.targets.normalize(channel, command.target);
      if (!target) throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
      const binding = {
        clientId: command.clientId,
        channel,
        target,
        usage: 'reset_password' as const,
      };
      const { otpToken, code } = command;
      let consume: (manager: EntityManager) => Promise<void>;
      if (otpToken === undefined) {
        const challengeId = await this.otp.verifyChallengeByTarget(
          { ...binding, code },
          { consume: false },
        );
        consume = (manager) => this.otp.consumeChallengeById(challengeId, manager);
      } else {
        await this.otp.verifyChallenge({ ...binding, otpToken, code }, { consume: false });
        consume = (manager) => this.otp.consumeChallenge(otpToken, manager);
      }
      const user = await this.targets.findUser(channel, target);
      if (!user) throw new IdentityError(IdentityErrorCode.USER_NOT_FOUND);
      await this.resetPassword.execute({
        userId: user.id,
        newPassword: command.newPassword,
        clientId: command.clientId,
        beforeCommit: consume,
      });
    } catch (error) {
      // Two resets raced with one code: the other one won, so this code is spent.
      if (error instanceof IdentityError && error.code === IdentityErrorCode.CONFLICT) {
        throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID, { channel });
      }
      // Dialects name OTP errors after the channel (e.g. Tencent's bad_phone_number_otp).
      if (
        error instanceof IdentityError &&
        (error.code === IdentityErrorCode.OTP_TOKEN_INVALID ||
          error.code === IdentityErrorCode.OTP_CODE_INVALID)
      ) {
        throw new IdentityError(error.code, { ...error.details, channel });
      }
      throw error;
    }
  }
}
