import { Controller, Header, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApplicationsService } from '../../../applications/applications.service';
import { Auth } from '../../../auth/decorators/auth.decorator';
import { CurrentClient } from '../../../auth/decorators/current-principal.decorator';
import type { ClientPrincipal } from '../../../auth/principal';
import { TokenService } from '../../../auth/tokens/token.service';
import { IdentityErrorCode } from '../../../common/errors/identity-error-code';
import { ApiErrors } from '../../../common/http/api-errors.decorator';
import { IdaasTenantTokenQuery } from './dto/idaas-tenant-token.query';
import { IdaasTenantTokenResponse } from './dto/idaas-tenant-token.response';
import './idaas-query-client.scheme';
import { IdaasTenantApi } from './idaas-tenant-api.decorator';
import { TOKEN_ERRORS } from './idaas-tenant.responses';

/** The vendor's tenant token lifetime (API.md §3). */
export const IDAAS_TENANT_TOKEN_TTL_SECONDS = 1800;

@IdaasTenantApi()
@Controller('api/v2/tenant')
export class IdaasTenantTokenController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly tokens: TokenService,
  ) {}

  /** IDaaS tenant API "Get access token" (API.md §3): client credentials in the query string. */
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @Auth('idaas-query-client', { scopes: ['admin'] })
  @ApiOperation({
    summary: 'Get a tenant access token (client credentials in the query string)',
    description:
      'For an `m2m` application with the `admin` scope. The token is a Tessera access token with the ' +
      '`admin` scope, valid 1800 s, for every `/api/v2/tenant` route (and the native admin API).',
  })
  @ApiErrors(IdentityErrorCode.SERVICE_BUSY)
  @ApiOkResponse({ type: IdaasTenantTokenResponse })
  @ApiBadRequestResponse(TOKEN_ERRORS)
  async token(
    @CurrentClient() client: ClientPrincipal,
    @Query() _query: IdaasTenantTokenQuery,
  ): Promise<IdaasTenantTokenResponse> {
    const application = await this.applications.require(client.clientId);
    const issued = this.tokens.issueForClient(application, ['admin'], {
      ttlSeconds: IDAAS_TENANT_TOKEN_TTL_SECONDS,
    });
    return {
      access_token: issued.access_token,
      token_type: 'bearer',
      expires_in: issued.expires_in,
      scope: 'all',
    };
  }
}
