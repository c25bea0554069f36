import { Controller, Get, Header, Logger, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheckService,
  type HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '@app/session';
import { ConfigService } from '@nestjs/config';
import { type AppConfigValues, appConfigFrom } from '../config/app-config.module';
import { DatabaseUnavailableException } from './database-unavailable.exception';
import { RedisUnavailableException } from './redis-unavailable.exception';
import { RedisHealthIndicator } from './redis.health';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { HealthSchema } from '../openapi/response.schemas';

/** terminus' 503 body: each failed indicator under `error`, by key. */
interface HealthCheckFailure {
  error?: Record<string, { message?: unknown }>;
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly config: ConfigService<AppConfigValues, true>,
  ) {}

  /**
   * 200 only when every backing service answers in time: the database (`SELECT 1`), and Redis
   * (PING) when sessions live there. A hung connection must not hang the probe: a load balancer
   * needs an answer, and a slow service is as unhealthy as a dead one. The answer keeps the app's
   * contract (`{ status: 'ok' }`, or the one error shape) rather than terminus' detailed report,
   * which would tell anyone which internal services exist.
   */
  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: HealthSchema, description: 'Every backing service answers.' })
  @ApiErrors(503)
  async check(): Promise<{ status: 'ok' }> {
    const timeout = appConfigFrom(this.config).healthCheckTimeoutMs;
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database', { timeout }),
    ];
    if (this.redis.configured) checks.push(() => this.redis.pingCheck('redis', timeout));
    try {
      await this.health.check(checks);
    } catch (error) {
      throw this.toUnavailable(error);
    }
    return { status: 'ok' };
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
    // Not a failed indicator (a bug in a check): let the filter report it as one.
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** terminus throws a ServiceUnavailableException whose response is its report. */
function healthFailures(error: unknown): Record<string, { message?: unknown }> {
  if (!(error instanceof ServiceUnavailableException)) return {};
  return (error.getResponse() as HealthCheckFailure).error ?? {};
}
