import type { SessionModuleOptions } from './session-module-options.interface';

/**
 * A class that builds the options, for `forRootAsync({ useClass })` or `({ useExisting })`.
 *
 * @publicApi
 * @example
 * \@Injectable()
 * class SessionConfig implements SessionOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   createSessionOptions(): SessionModuleOptions {
 *     return { idleTimeout: this.config.get('SESSION_IDLE_TIMEOUT_SECONDS') };
 *   }
 * }
 */
export interface SessionOptionsFactory {
  createSessionOptions(): SessionModuleOptions | Promise<SessionModuleOptions>;
}
