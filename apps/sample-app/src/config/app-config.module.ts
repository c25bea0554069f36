import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, type ConfigService, registerAs } from '@nestjs/config';
import type { AppConfig } from './app-config';

/** The config's namespace: `config.get('app', { infer: true })` is the validated AppConfig. */
export interface AppConfigValues {
  app: AppConfig;
}

/** ConfigService typed for the app (`true`: the values were validated, never undefined). */
export type AppConfigService = ConfigService<AppConfigValues, true>;

/**
 * @nestjs/config, global, holding the AppConfig that AppModule.register was given: main.ts reads
 * it from the environment with loadAppConfig (which names a bad variable and stops the boot), tests
 * build one. The environment is validated before the module graph exists, not in ConfigModule's
 * `validate`: the config decides the graph itself (which store module, the database, the body
 * limit and port in configureApp/main.ts), so it has to be known first. For the same reason no
 * .env file is read and process.env is skipped: every value comes validated, through `app`.
 */
export function appConfigModule(config: AppConfig): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    skipProcessEnv: true,
    load: [registerAs('app', () => config)],
  });
}

/** The validated AppConfig, from anything that can inject ConfigService. */
export function appConfigFrom(config: AppConfigService): AppConfig {
  return config.get('app', { infer: true });
}
