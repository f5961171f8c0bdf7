import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { CreateUserDto } from '../users/dto/create-user.dto';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { UserPresenter } from '../users/user.presenter';
import { SetUserPasswordDto } from './dto/set-user-password.dto';
import { RegisterUserUseCase } from './use-cases/register-user.use-case';
import { SetPasswordByAdminUseCase } from './use-cases/set-password-by-admin.use-case';

const POLICY_VIOLATION = {
  description: 'The password breaks the policy (every violation is listed)',
  schema: {
    example: {
      error: 'invalid_new_password',
      error_description: 'The new password does not satisfy the password policy.',
      violations: [{ rule: 'length', params: { min: 8, max: 64 } }],
    },
  },
};

/** The administrator's user operations that involve a password (policy and history apply). */
@ApiTags('Admin: users')
@Auth('bearer', { scopes: ['admin'] })
@Controller('admin/users')
export class AdminUserPasswordController {
  constructor(
    private readonly registerUser: RegisterUserUseCase,
    private readonly setPasswordByAdmin: SetPasswordByAdminUseCase,
    private readonly presenter: UserPresenter,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a user, optionally with an initial password' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse(POLICY_VIOLATION)
  @ApiConflictResponse({
    schema: {
      example: {
        error: 'conflict',
        error_description:
          'The resource conflicts with an existing one or was changed concurrently.',
      },
    },
  })
  async create(@Body() body: CreateUserDto): Promise<UserResponseDto> {
    const user = await this.registerUser.execute({
      user: {
        username: body.username,
        email: body.email,
        phoneNumber: body.phone_number,
        name: body.name,
        mustChangePassword: body.must_change_password ?? false,
        roles: body.roles,
      },
      password: body.password,
    });
    return this.presenter.present(user);
  }

  @Put(':user_id/password')
  @HttpCode(204)
  @ApiOperation({
    summary: "Set a user's password",
    description:
      'Policy and history apply (minimum age does not); every token issued to the user before is revoked. ' +
      '`must_change_password` defaults to true (ASVS 6.4.6).',
  })
  @ApiNoContentResponse({ description: 'Password set' })
  @ApiBadRequestResponse(POLICY_VIOLATION)
  @ApiNotFoundResponse({
    schema: { example: { error: 'user_not_found', error_description: 'No such user.' } },
  })
  @ApiConflictResponse({ description: 'A concurrent password change won' })
  async setPassword(
    @Param('user_id') userId: string,
    @Body() body: SetUserPasswordDto,
  ): Promise<void> {
    await this.setPasswordByAdmin.execute({
      userId,
      newPassword: body.password,
      mustChangePassword: body.must_change_password,
    });
  }
}
