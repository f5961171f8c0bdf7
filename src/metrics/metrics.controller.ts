import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator';
import { MetricsService } from './metrics.service';
import { METRICS_TOKEN_SCHEME } from './metrics-token.scheme';

@ApiTags('Health')
@Auth(METRICS_TOKEN_SCHEME)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Requires `Authorization: Bearer <METRICS_TOKEN>`. Without METRICS_TOKEN configured the ' +
      'route answers 404 in production and is open in development and test.',
  })
  @ApiUnauthorizedResponse({ description: 'Token missing or wrong' })
  @ApiNotFoundResponse({ description: 'Production without METRICS_TOKEN' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    schema: { type: 'string', example: 'tessera_http_request_duration_seconds_bucket{…} 3' },
  })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
