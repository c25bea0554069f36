import { Logger } from '@nestjs/common';
import { createAppLogger } from './app-logger';
import { PinoNestLogger } from './pino-nest.logger';

function captured() {
  const raw: string[] = [];
  const logger = new PinoNestLogger(
    createAppLogger('debug', { write: (line: string) => void raw.push(line) }),
  );
  const lines = () =>
    raw
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

describe('PinoNestLogger', () => {
  it('writes Nest lines as JSON with their context, the way Nest calls a logger', () => {
    const { logger, lines } = captured();
    Logger.overrideLogger(logger);
    try {
      new Logger('Ctx').log('hello');
      new Logger('Ctx').error('failed', 'Error: boom\n    at x (y.js:1:1)');
      new Logger('Ctx').error('failed without a stack');
      Logger.warn('careful', 'Static');
      new Logger('Ctx').debug({ event: 'session.created', sessionId: 's1' });
      new Logger('Ctx').verbose('chatty');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines()).toEqual([
      expect.objectContaining({ level: 30, context: 'Ctx', msg: 'hello' }),
      expect.objectContaining({
        level: 50,
        context: 'Ctx',
        msg: 'failed',
        stack: 'Error: boom\n    at x (y.js:1:1)',
      }),
      expect.objectContaining({ level: 50, context: 'Ctx', msg: 'failed without a stack' }),
      expect.objectContaining({ level: 40, context: 'Static', msg: 'careful' }),
      expect.objectContaining({ level: 20, context: 'Ctx', event: 'session.created' }),
    ]);
  });

  it('logs an Error as its err with message and stack', () => {
    const { logger, lines } = captured();
    logger.error(new Error('kaputt'), 'Ctx');
    expect(lines()).toEqual([
      expect.objectContaining({
        msg: 'kaputt',
        context: 'Ctx',
        err: expect.objectContaining({ message: 'kaputt', type: 'Error' }) as unknown,
      }),
    ]);
  });
});
