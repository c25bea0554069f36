import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/app-config';

/** Answers whether the database responds to `SELECT 1` within the configured time. */
@Injectable()
export class DatabaseHealth {
  private readonly logger = new Logger(DatabaseHealth.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async isUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    // A hung connection must not hang the probe: a load balancer needs an answer, and a slow
    // database is as unhealthy as a dead one.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`SELECT 1 took over ${this.config.healthCheckTimeoutMs} ms`)),
        this.config.healthCheckTimeoutMs,
      );
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return true;
    } catch (error) {
      this.logger.warn(`Database health check failed: ${String(error)}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
