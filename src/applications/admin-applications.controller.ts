import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
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
    const { application, clientSecret } = await this.applications.create(body);
    return ApplicationResponseDto.from(application, clientSecret);
  }

  @Get(':client_id')
  @ApiOperation({ summary: 'Read an application (never its secret)' })
  @ApiOkResponse({ type: ApplicationResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async get(@Param('client_id') clientId: string): Promise<ApplicationResponseDto> {
    return ApplicationResponseDto.from(await this.applications.require(clientId));
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
