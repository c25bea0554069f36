import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfigError } from './config/app-config.error';
import { loadAppConfig } from './config/app-config';
import { PendingMigrationsError } from './database/pending-migrations.error';
import { createApp, listenHostOf } from './configure-app';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(process.env);
  const app = await createApp(config);
  const host = listenHostOf(config);
  await (host === undefined ? app.listen(config.port) : app.listen(config.port, host));
  const database =
    config.database.kind === 'postgres'
      ? 'PostgreSQL'
      : `embedded PGlite at ${config.database.dataDir ?? '(memory)'}`;
  Logger.log(
    `Listening on port ${config.port} (${config.httpAdapter}); database: ${database}`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // A bad variable needs one clear line, not a stack; anything else gets its stack for debugging.
  const oneLine =
    error instanceof AppConfigError ||
    error instanceof PendingMigrationsError ||
    !(error instanceof Error);
  const detail = oneLine ? String(error) : error.stack;
  Logger.error(`The sample app could not start: ${detail}`, 'Bootstrap');
  // An application (unlike the library) may exit: a half-started process (an open pool retrying)
  // must not linger as if it were serving.
  process.exit(1);
});
