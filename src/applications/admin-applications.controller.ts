import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { ApplicationsService } from './applications.service';
import { ApplicationResponseDto } from './dto/application-response.dto';
import { CreateApplicationDto } from './dto/create-application.dto';
import { UpdateApplicationDto } from './dto/update-application.dto';

const NOT_FOUND = {
  schema: {
    example: { error: 'application_not_found', error_description: 'No such application.' },
  },
};

@ApiTags('Admin: applications')
@Auth('bearer', { scopes: ['admin'] })
@Controller('admin/applications')
export class AdminApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Register an application (OAuth client); the secret is shown only here',
  })
  @ApiCreatedResponse({ type: ApplicationResponseDto })
  async create(@Body() body: CreateApplicationDto): Promise<ApplicationResponseDto> {
    const { application, clientSecret } = await this.applications.create({
      name: body.name,
      type: body.type,
      scopes: body.scopes,
      idTokenSignedResponseAlg: body.id_token_signed_response_alg,
    });
    return ApplicationResponseDto.from(application, clientSecret);
  }

  @Get(':client_id')
  @ApiOperation({ summary: 'Read an application (never its secret)' })
  @ApiOkResponse({ type: ApplicationResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async get(@Param('client_id') clientId: string): Promise<ApplicationResponseDto> {
    return ApplicationResponseDto.from(await this.applications.require(clientId));
  }

  @Patch(':client_id')
  @ApiOperation({
    summary: 'Update an application (partial): today its ID token algorithm',
    description:
      '`id_token_signed_response_alg`: RS256 (default) or ES256; ID tokens issued from now on use it.',
  })
  @ApiOkResponse({ type: ApplicationResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async update(
    @Param('client_id') clientId: string,
    @Body() body: UpdateApplicationDto,
  ): Promise<ApplicationResponseDto> {
    return ApplicationResponseDto.from(
      await this.applications.update(clientId, {
        idTokenSignedResponseAlg: body.id_token_signed_response_alg,
      }),
    );
  }

  @Delete(':client_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an application' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse(NOT_FOUND)
  async remove(@Param('client_id') clientId: string): Promise<void> {
    await this.applications.remove(clientId);
  }
}
