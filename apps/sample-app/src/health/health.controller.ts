import {
  Controller,
  Get,
  Header,
  Headers,
  Logger,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { HttpAdapterHost } from '@nestjs/core';
import { Public } from '@app/session';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { METRICS_AUTH } from '../openapi/api-session.decorator';
import type { AppConfig } from '../config/app-config';
import { type AppConfigValues, appConfigFrom } from '../config/app-config.module';
import { carriesMetricsToken } from '../metrics/metrics-token';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { HealthSchema } from '../openapi/response.schemas';
import { DatabaseUnavailableException } from './database-unavailable.exception';
import { InvalidationChannelUnavailableException } from './invalidation-unavailable.exception';
import { InvalidationChannelHealthIndicator } from './invalidation.health';
import { RedisUnavailableException } from './redis-unavailable.exception';
import { RedisHealthIndicator } from './redis.health';

/** terminus' 503 body: each failed indicator under `error`, by key. */
interface HealthCheckFailure {
  error?: Record<string, { message?: unknown }>;
}

const OK = { status: 'ok' } as const;

/**
 * Probes for load balancers and orchestrators. `/health/live` says only that the process answers:
 * restart it when that fails. `/health/ready` and `/health` say whether it can serve: take it out of
 * rotation when that fails, without restarting it (a database blip heals by itself). Every check is
 * bounded, so a hung service cannot hang the probe. The answers keep the app's contract
 * (`{ status: 'ok' }`, or the one error shape) rather than terminus' report, which would tell anyone
 * which internal services exist; the report is for the holder of METRICS_TOKEN.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  private readonly config: AppConfig;

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly invalidation: InvalidationChannelHealthIndicator,
    config: ConfigService<AppConfigValues, true>,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.config = appConfigFrom(config);
  }

  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Whether the app can serve (database, and Redis when sessions live there)',
  })
  @ApiOkResponse({ type: HealthSchema, description: 'Every backing service answers.' })
  @ApiErrors(503)
  async check(): Promise<typeof OK> {
    await this.run(this.storeChecks());
    return OK;
  }

  @Public()
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Liveness: the process answers (no backing service is asked)',
  })
  @ApiOkResponse({ type: HealthSchema })
  live(): typeof OK {
    return OK;
  }

  /**
   * As /health, plus the validation cache's invalidation channel when the cache is on. With
   * METRICS_TOKEN as a bearer token, terminus' report (each check's status) instead of the
   * contract's body, with the same status code.
   */
  @Public()
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Readiness: database, Redis when used, the invalidation channel when the cache is on',
    description:
      "With `Authorization: Bearer <METRICS_TOKEN>`, terminus' detailed report (same status code).",
  })
  // Either no credential ({}) or the metrics token, which adds the report.
  @ApiSecurity({})
  @ApiBearerAuth(METRICS_AUTH)
  @ApiOkResponse({ type: HealthSchema, description: 'Ready to take traffic.' })
  @ApiErrors(503)
  async ready(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<typeof OK | HealthCheckResult> {
    const checks = this.storeChecks();
    if (this.config.session.cacheTtlSeconds > 0) {
      checks.push(() => this.invalidation.check('invalidation'));
    }
    const token = this.config.metricsToken;
    if (token !== undefined && carriesMetricsToken(authorization, token)) {
      return this.report(checks, response);
    }
    await this.run(checks);
    return OK;
  }

  private storeChecks(): HealthIndicatorFunction[] {
    const timeout = this.config.healthCheckTimeoutMs;
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database', { timeout }),
    ];
    if (this.redis.configured) checks.push(() => this.redis.pingCheck('redis', timeout));
    return checks;
  }

  private async run(checks: HealthIndicatorFunction[]): Promise<void> {
    try {
      await this.health.check(checks);
    } catch (error) {
      throw this.toUnavailable(error);
    }
  }

  /** terminus' report as the body, 503 when a check failed. */
  private async report(
    checks: HealthIndicatorFunction[],
    response: unknown,
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      this.adapterHost.httpAdapter.status(response, 503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  /** The database first: with both down, it is the one to fix. */
  private toUnavailable(error: unknown): Error {
    const failed = healthFailures(error);
    for (const [key, detail] of Object.entries(failed)) {
      this.logger.warn(
        `Health check "${key}" failed: ${typeof detail.message === 'string' ? detail.message : 'down'}`,
      );
    }
    if ('database' in failed) return new DatabaseUnavailableException();
    if ('redis' in failed) return new RedisUnavailableException();
    if ('invalidation' in failed) return new InvalidationChannelUnavailableException();
    // Not a failed indicator (a bug in a check): let the filter report it as one.
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** terminus throws a ServiceUnavailableException whose response is its report. */
function healthFailures(error: unknown): Record<string, { message?: unknown }> {
  if (!(error instanceof ServiceUnavailableException)) return {};
  return (error.getResponse() as HealthCheckFailure).error ?? {};
}
