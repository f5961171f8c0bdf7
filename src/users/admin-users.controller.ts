import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Query,
} from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { UserPresenter } from './user.presenter';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserListResponseDto, UserResponseDto } from './dto/user-response.dto';
import { PASSWORD_ATTEMPTS, type PasswordAttempts } from './password-attempts';
import { UsersService } from './users.service';

export const USER_NOT_FOUND_EXAMPLE = {
  schema: { example: { error: 'user_not_found', error_description: 'No such user.' } },
};

@ApiTags('Admin: users')
@Auth('bearer', { scopes: ['admin'] })
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly presenter: UserPresenter,
    @Inject(PASSWORD_ATTEMPTS) private readonly attempts: PasswordAttempts,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users, optionally by username, email or phone number' })
  @ApiOkResponse({ type: UserListResponseDto })
  async list(@Query() query: ListUsersQuery): Promise<UserListResponseDto> {
    const page = await this.users.list({
      username: query.username,
      email: query.email,
      phoneNumber: query.phone_number,
      limit: query.limit ?? 20,
      cursor: query.cursor,
    });
    return { users: await this.presenter.presentMany(page.users), next_cursor: page.nextCursor };
  }

  @Get(':user_id')
  @ApiOperation({ summary: 'Read a user' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse(USER_NOT_FOUND_EXAMPLE)
  async get(@Param('user_id') userId: string): Promise<UserResponseDto> {
    return this.presenter.present(await this.users.require(userId));
  }

  @Patch(':user_id')
  @ApiOperation({
    summary: 'Update status, email, phone number, name or roles; `status: active` unlocks',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse(USER_NOT_FOUND_EXAMPLE)
  async update(
    @Param('user_id') userId: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponseDto> {
    // Before the row: if forgetting the failures fails (Redis down), nothing has changed yet.
    if (body.status === 'active') await this.attempts.clear(userId);
    const user = await this.users.update(userId, {
      status: body.status,
      email: body.email,
      phoneNumber: body.phone_number,
      name: body.name,
      roles: body.roles,
    });
    return this.presenter.present(user);
  }

  @Delete(':user_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user (and every session and token of theirs)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse(USER_NOT_FOUND_EXAMPLE)
  async remove(@Param('user_id') userId: string): Promise<void> {
    await this.users.remove(userId);
  }
}
