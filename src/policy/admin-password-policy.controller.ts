import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApplicationsService } from '../applications/applications.service';
import { Auth } from '../auth/decorators/auth.decorator';
import { PasswordPolicyDto, UpdatePasswordPolicyDto } from './dto/password-policy.dto';
import type { PasswordPolicy } from './password-policy.types';
import { PasswordPolicyService } from './password-policy.service';

const INVALID_POLICY = {
  description: 'A field out of range, of the wrong type, unknown, or contradicting another',
  schema: {
    example: {
      error: 'invalid_request',
      error_description: 'The request is malformed or has invalid parameters.',
      fields: [{ field: 'min_length', problems: ['min_length must not exceed max_length'] }],
    },
  },
};

const APP_NOT_FOUND = {
  schema: {
    example: { error: 'application_not_found', error_description: 'No such application.' },
  },
};

@ApiTags('Admin: password policy')
@Auth('bearer', { scopes: ['admin'] })
@ApiUnauthorizedResponse({ description: 'No or an invalid bearer token' })
@ApiForbiddenResponse({ description: 'The token lacks the `admin` scope' })
@Controller('admin')
export class AdminPasswordPolicyController {
  constructor(
    private readonly policies: PasswordPolicyService,
    private readonly applications: ApplicationsService,
  ) {}

  @Get('password-policy')
  @ApiOperation({ summary: 'The realm password policy' })
  @ApiOkResponse({ type: PasswordPolicyDto })
  realm(): Promise<PasswordPolicy> {
    return this.policies.realmPolicy();
  }

  @Put('password-policy')
  @ApiOperation({ summary: 'Update the realm password policy (partial)' })
  @ApiBody({
    type: UpdatePasswordPolicyDto,
    examples: { stricter: { value: { min_length: 10, history_count: 8 } } },
  })
  @ApiOkResponse({
    type: PasswordPolicyDto,
    description: 'The whole realm policy after the update',
  })
  @ApiBadRequestResponse(INVALID_POLICY)
  updateRealm(@Body() body: UpdatePasswordPolicyDto): Promise<PasswordPolicy> {
    return this.policies.updateRealmPolicy(body);
  }

  @Put('applications/:client_id/password-policy')
  @ApiOperation({
    summary:
      "Override the policy for one application (partial, merged over the realm's); returns the effective policy",
  })
  @ApiBody({
    type: UpdatePasswordPolicyDto,
    examples: { stricter: { value: { min_character_classes: 3 } } },
  })
  @ApiOkResponse({
    type: PasswordPolicyDto,
    description: 'The effective policy of the application (override merged over the realm)',
  })
  @ApiBadRequestResponse(INVALID_POLICY)
  @ApiNotFoundResponse(APP_NOT_FOUND)
  async override(
    @Param('client_id') clientId: string,
    @Body() body: UpdatePasswordPolicyDto,
  ): Promise<PasswordPolicy> {
    await this.applications.require(clientId);
    return this.policies.setApplicationOverride(clientId, body);
  }

  @Delete('applications/:client_id/password-policy')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove an application's override" })
  @ApiNoContentResponse()
  @ApiNotFoundResponse(APP_NOT_FOUND)
  async removeOverride(@Param('client_id') clientId: string): Promise<void> {
    await this.applications.require(clientId);
    await this.policies.removeApplicationOverride(clientId);
  }
}
