import { Injectable } from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { Language } from '../../common/i18n/message-table';
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
  /** The language of the message, chosen by the dialect (IDaaS `X-L`); English by default. */
  language?: Language;
}

/**
 * Usages a code is sent for only when the target has an account: sign-in and the password flows.
 * Sign-up and a contact update go to an address that is not yet anyone's.
 */
const NEEDS_ACCOUNT: Readonly<Record<OtpUsage, boolean>> = {
  sign_in: true,
  sign_up: false,
  reset_password: true,
  change_password: true,
  update_contact: false,
};

/**
 * Sends a one-time code. For sign-in, reset and change, a target with no account still gets an
 * answer (an otp_token) but no message, so the endpoint cannot be used to discover who has an
 * account; such a challenge can never be redeemed because nobody knows its code.
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
    const deliver = NEEDS_ACCOUNT[command.usage]
      ? Boolean(await this.targets.findUser(command.channel, target))
      : true;
    return this.otp.issueChallenge({
      clientId: command.clientId,
      channel: command.channel,
      target,
      usage: command.usage,
      deliver,
      language: command.language ?? 'en',
    });
  }
}
