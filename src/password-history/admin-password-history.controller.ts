import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { UsersService } from '../users/users.service';
import { PasswordHistoryService } from './password-history.service';

@ApiTags('Admin: users')
@Auth('bearer', { scopes: ['admin'] })
@Controller('admin/users')
export class AdminPasswordHistoryController {
  constructor(
    private readonly history: PasswordHistoryService,
    private readonly users: UsersService,
  ) {}

  @Get(':user_id/password-history')
  @ApiOperation({ summary: "A user's password changes, newest first (never the hashes)" })
  @ApiOkResponse({
    schema: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          changed_at: { type: 'string', format: 'date-time' },
          reason: { type: 'string', enum: ['initial', 'change', 'reset', 'admin'] },
        },
      },
      example: [{ changed_at: '2026-11-23T08:00:00.000Z', reason: 'change' }],
    },
  })
  @ApiNotFoundResponse({
    schema: { example: { error: 'user_not_found', error_description: 'No such user.' } },
  })
  async list(
    @Param('user_id') userId: string,
  ): Promise<Array<{ changed_at: string; reason: string }>> {
    await this.users.require(userId);
    return this.history.list(userId);
  }
}
