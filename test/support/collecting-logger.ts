import type { LoggerService } from '@nestjs/common';

/**
 * A Nest logger that keeps error and warning lines instead of printing them: tests that break a
 * backing service on purpose expect a log line per failed request, and can assert on them.
 */
export class CollectingLogger implements LoggerService {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  log(): void {}

  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map(String).join(' '));
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.warnings.push([message, ...rest].map(String).join(' '));
  }
}

/** Records unhandled promise rejections in this (the test) process while installed. */
export function trackUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  return { reasons, stop: () => process.off('unhandledRejection', listener) };
}
