import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Public } from '@app/session';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { PROMETHEUS_REGISTRY } from './metrics.constants';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';

/**
 * `GET /metrics` in the Prometheus text format. Public, as scrapers carry no session: expose the
 * port only to the monitoring network (or put the route behind the proxy's access rules) in
 * production, since counts of logins and failures are operational data.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry) {}

  @Public()
  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format (version 0.0.4).' })
  async scrape(@Res() response: Response): Promise<void> {
    const body = await this.registry.metrics();
    response.setHeader('Cache-Control', 'no-store');
    response.type(this.registry.contentType).send(body);
  }
}
