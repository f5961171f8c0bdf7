import { Injectable, Optional } from '@nestjs/common';
import {
  IGNORED_IDENTITY_EVENTS,
  IdentityEvents,
  outcomeOf,
} from '../../common/events/identity-events';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { OtpChannel } from '../../otp/otp-challenge.entity';
import { OtpService } from '../../otp/otp.service';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { OtpTargetResolver } from './otp-target.resolver';

export interface SignInWithOtpCommand {
  clientId: string;
  channel: OtpChannel;
  target: string;
  otpToken: string;
  code: string;
}

/**
 * Sign-in with a code sent for usage `sign_in`, for users with or without a password. Every failure
 * (bad token or code, unknown, frozen or locked user) is one INVALID_GRANT, as RFC 6749 wants.
 */
@Injectable()
export class SignInWithOtpUseCase {
  constructor(
    private readonly otp: OtpService,
    private readonly users: UsersService,
    private readonly targets: OtpTargetResolver,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  async execute(command: SignInWithOtpCommand): Promise<User> {
    const target = this.targets.normalize(command.channel, command.target);
    try {
      if (!target) throw new IdentityError(IdentityErrorCode.OTP_TOKEN_INVALID);
      await this.otp.verifyChallenge({
        otpToken: command.otpToken,
        code: command.code,
        clientId: command.clientId,
        channel: command.channel,
        target,
        usage: 'sign_in',
      });
      const user = await this.targets.findUser(command.channel, target);
      if (!user) throw new IdentityError(IdentityErrorCode.USER_NOT_FOUND);
      this.users.assertActive(user);
      this.events.record({ kind: 'sign_in', method: 'otp', outcome: 'success' });
      return user;
    } catch (error) {
      this.events.record({ kind: 'sign_in', method: 'otp', outcome: outcomeOf(error) });
      if (error instanceof IdentityError)
        throw new IdentityError(IdentityErrorCode.INVALID_GRANT, { cause: error.code });
      throw error;
    }
  }
}
