import { Controller, Get, Header, Headers, HttpStatus, Inject, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { Public } from '@app/session';
import { Registry } from 'prom-client';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { METRICS_AUTH } from '../openapi/api-session.decorator';
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
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.token = appConfigFrom(config).metricsToken;
  }

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'With METRICS_TOKEN set, send it as `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  // Required only when METRICS_TOKEN is set; a document cannot say "depending on the deployment".
  @ApiBearerAuth(METRICS_AUTH)
  // Only the success is text; the 401 is the app's JSON error (ApiProduces would mark both text).
  @ApiOkResponse({
    description: 'Prometheus text format (version 0.0.4).',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors(401)
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    // The platform's response (Express or Fastify), only for the 401's challenge header.
    @Res({ passthrough: true }) response: object,
  ): Promise<string> {
    if (this.token !== undefined && !carriesMetricsToken(authorization, this.token)) {
      this.adapterHost.httpAdapter.setHeader(
        response,
        'WWW-Authenticate',
        'Bearer realm="metrics"',
      );
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        'unauthorized',
        'GET /metrics needs the metrics token (METRICS_TOKEN) as a bearer token.',
      );
    }
    return this.registry.metrics();
  }
}
