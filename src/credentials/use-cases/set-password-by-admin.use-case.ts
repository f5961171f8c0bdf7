import { Injectable, Optional } from '@nestjs/common';
import { IGNORED_IDENTITY_EVENTS, IdentityEvents } from '../../common/events/identity-events';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { PasswordWriter } from '../password-writer.service';

export interface SetPasswordByAdminCommand {
  userId: string;
  newPassword: string;
  /** A password an administrator chose is temporary by default (ASVS 6.4.6). */
  mustChangePassword?: boolean;
  clientId?: string | null;
}

/** Administrator set: policy and history apply, minimum age does not; any status is allowed. */
@Injectable()
export class SetPasswordByAdminUseCase {
  constructor(
    private readonly users: UsersService,
    private readonly writer: PasswordWriter,
    @Optional() private readonly events: IdentityEvents = IGNORED_IDENTITY_EVENTS,
  ) {}

  execute(command: SetPasswordByAdminCommand): Promise<User> {
    return this.events.observe(this.run(command), (outcome) => ({
      kind: 'password_operation',
      operation: 'admin_set',
      outcome,
    }));
  }

  private async run(command: SetPasswordByAdminCommand): Promise<User> {
    const user = await this.users.require(command.userId);
    const clientId = command.clientId ?? null;
    const { policy, passwordHash } = await this.writer.assertAcceptable(
      user,
      command.newPassword,
      clientId,
      false,
    );
    return this.writer.write({
      user,
      newPassword: command.newPassword,
      reason: 'admin',
      mustChangePassword: command.mustChangePassword ?? true,
      policy,
      passwordHash,
    });
  }
}
