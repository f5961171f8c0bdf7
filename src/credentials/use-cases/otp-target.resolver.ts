import { Injectable } from '@nestjs/common';
import type { OtpChannel } from '../../otp/otp-challenge.entity';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';

/** The canonical form of an OTP target and the user it belongs to. */
@Injectable()
export class OtpTargetResolver {
  constructor(private readonly users: UsersService) {}

  /** Lower-cased email or E.164 phone number; null when it cannot be one. */
  normalize(channel: OtpChannel, raw: string): string | null {
    if (channel === 'sms') return this.users.normalizePhoneNumber(raw);
    const email = raw.trim().toLowerCase();
    return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
  }

  findUser(channel: OtpChannel, normalizedTarget: string): Promise<User | null> {
    return channel === 'sms'
      ? this.users.findByPhoneNumber(normalizedTarget)
      : this.users.findByEmail(normalizedTarget);
  }
}
