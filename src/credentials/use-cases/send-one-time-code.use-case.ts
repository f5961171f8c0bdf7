import { Injectable } from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { OtpChannel } from '../../otp/otp-challenge.entity';
import type { OtpUsage } from '../../otp/otp-usage';
import { OtpService } from '../../otp/otp.service';
import { OtpTargetResolver } from './otp-target.resolver';

export interface SendOneTimeCodeCommand {
  clientId: string;
  channel: OtpChannel;
  /** Email address or phone number as the caller wrote it. */
  target: string;
  usage: OtpUsage;
}

/**
 * Sends a one-time code. For sign-in and reset, a target with no account still gets an answer
 * (an otp_token) but no message, so the endpoint cannot be used to discover who has an account;
 * such a token can never be redeemed because nobody knows its code.
 */
@Injectable()
export class SendOneTimeCodeUseCase {
  constructor(
    private readonly otp: OtpService,
    private readonly targets: OtpTargetResolver,
  ) {}

  async execute(command: SendOneTimeCodeCommand): Promise<{ otpToken: string; expiresAt: Date }> {
    const target = this.targets.normalize(command.channel, command.target);
    if (!target) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [
          { field: command.channel === 'email' ? 'email' : 'phone_number', problems: ['invalid'] },
        ],
      });
    }
    const accountNeeded = command.usage === 'login' || command.usage === 'reset_password';
    const deliver = accountNeeded
      ? Boolean(await this.targets.findUser(command.channel, target))
      : true;
    return this.otp.issueChallenge({
      clientId: command.clientId,
      channel: command.channel,
      target,
      usage: command.usage,
      deliver,
    });
  }
}
