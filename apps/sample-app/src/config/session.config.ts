import type { SessionModuleOptions } from '@app/session';
import type { AppConfig } from './app-config';

/** SessionModule options from the app's environment. */
export function toSessionModuleOptions(config: AppConfig): SessionModuleOptions {
  return {
    idleTimeout: config.session.idleTimeoutSeconds,
    absoluteTimeout: config.session.absoluteTimeoutSeconds,
    maxSessionsPerUser: config.session.maxPerUser,
    limitStrategy: config.session.limitStrategy,
    // Browsers reject a `__Host-` cookie that is not Secure, so the insecure variant needs a plain name.
    cookie: config.cookieSecure ? { secure: true } : { name: 'sid', secure: false },
  };
}
