import { Controller, Get, Headers, HttpStatus, Inject, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Public } from '@app/session';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiException } from '../common/api-error';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';
import { PROMETHEUS_REGISTRY } from './metrics.constants';
import { carriesMetricsToken } from './metrics-token';

/**
 * `GET /metrics` in the Prometheus text format. Scrapers carry no session, so the route is
 * `@Public()`: counts of logins and failures are operational data, so in production set
 * METRICS_TOKEN (the scraper then sends it as a bearer token), or expose the port only to the
 * monitoring network.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly token: string | undefined;

  constructor(
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
    @Inject(ConfigService) config: AppConfigService,
  ) {
    this.token = appConfigFrom(config).metricsToken;
  }

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'With METRICS_TOKEN set, send it as `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format (version 0.0.4).' })
  @ApiErrors(401)
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    if (this.token !== undefined && !carriesMetricsToken(authorization, this.token)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        'unauthorized',
        'GET /metrics needs the metrics token (METRICS_TOKEN) as a bearer token.',
      );
    }
    const body = await this.registry.metrics();
    response.setHeader('Cache-Control', 'no-store');
    response.type(this.registry.contentType).send(body);
  }
}
