import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApplicationsService } from '../applications/applications.service';
import { Auth } from '../auth/decorators/auth.decorator';
import { PasswordPolicyDto } from './dto/password-policy.dto';
import type { PasswordPolicy } from './password-policy.types';
import { PasswordPolicyService } from './password-policy.service';

const APP_NOT_FOUND = {
  schema: {
    example: { error: 'application_not_found', error_description: 'No such application.' },
  },
};

@ApiTags('Admin: password policy')
@Auth('bearer', { scopes: ['admin'] })
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
    type: PasswordPolicyDto,
    examples: { stricter: { value: { min_length: 10, history_count: 8 } } },
  })
  @ApiOkResponse({ type: PasswordPolicyDto })
  updateRealm(@Body() body: PasswordPolicyDto): Promise<PasswordPolicy> {
    return this.policies.updateRealmPolicy(body);
  }

  @Put('applications/:client_id/password-policy')
  @ApiOperation({
    summary:
      "Override the policy for one application (partial, merged over the realm's); returns the effective policy",
  })
  @ApiBody({
    type: PasswordPolicyDto,
    examples: { stricter: { value: { min_character_classes: 3 } } },
  })
  @ApiOkResponse({ type: PasswordPolicyDto })
  @ApiNotFoundResponse(APP_NOT_FOUND)
  async override(
    @Param('client_id') clientId: string,
    @Body() body: PasswordPolicyDto,
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
