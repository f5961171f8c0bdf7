import { Injectable } from '@nestjs/common';
import { PasswordPolicyService } from '../policy/password-policy.service';
import type { UserResponseDto } from './dto/user-response.dto';
import type { User, UserStatus } from './user.entity';
import { UsersService } from './users.service';

/** Users as the API shows them, with status and password expiry under the realm policy. */
@Injectable()
export class UserPresenter {
  constructor(
    private readonly users: UsersService,
    private readonly policies: PasswordPolicyService,
  ) {}

  async present(user: User): Promise<UserResponseDto> {
    return (await this.presentMany([user]))[0];
  }

  async presentMany(users: User[]): Promise<UserResponseDto[]> {
    const policy = await this.policies.effectivePolicy(null);
    const now = new Date();
    return users.map((user) =>
      toUserResponse(
        user,
        this.users.effectiveStatus(user, now),
        user.passwordHash
          ? this.policies.passwordExpiry(user.passwordChangedAt, policy, now).expiresAt
          : null,
      ),
    );
  }
}

function toUserResponse(
  user: User,
  status: UserStatus,
  passwordExpiresAt: Date | null,
): UserResponseDto {
  return {
    user_id: user.id,
    username: user.username,
    email: user.email,
    phone_number: user.phoneNumber,
    name: user.name,
    status,
    roles: [...user.roles],
    has_password: user.passwordHash !== null,
    must_change_password: user.mustChangePassword,
    password_changed_at: user.passwordChangedAt?.toISOString() ?? null,
    password_expires_at: passwordExpiresAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
