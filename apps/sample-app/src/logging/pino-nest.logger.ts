import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/** A stack trace as Nest passes one to `error()`: "Error: …\n    at …". */
const STACK = /\n\s+at /;
/**
 * Nest's boot chatter, one line per module and per route (about 50 for this app): `debug`, so a
 * start shows a handful of lines at the default level and every route with LOG_LEVEL=debug.
 */
const BOOT_DETAIL_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's LoggerService on pino: Nest's own lines (boot, routes, the session module's
 * `SessionEvents`, the app's `new Logger(…)`) as JSON lines with `context`, next to the request
 * lines. Nest hands the context as the last string argument and, to `error()`, a stack before it.
 * An object message becomes the line's fields (searchable), an Error its `err`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params.at(-1);
    const detail = typeof context === 'string' && BOOT_DETAIL_CONTEXTS.has(context);
    this.write(detail ? 'debug' : 'info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' ? rest.pop() : undefined;
    const stack = rest.find((p): p is string => typeof p === 'string' && STACK.test(p));
    const fields: Record<string, unknown> = { context };
    if (stack !== undefined) fields.stack = stack;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...message });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
