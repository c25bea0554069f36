import { EventEmitter2 } from '@nestjs/event-emitter';
import { SessionMetrics } from '../metrics/session.metrics';
import { resolveSessionOptions } from '../options/session-options.resolver';
import { SessionCreatedEvent } from './session-event.payloads';
import { SessionEventPublisher } from './session-event.publisher';
import { SessionEvents } from './session-event.names';

const event = () =>
  new SessionCreatedEvent({
    sessionId: 'session-1',
    userId: 'user-1',
    ip: null,
    userAgent: null,
    at: new Date(),
  });

describe('SessionEventPublisher', () => {
  const options = resolveSessionOptions({ logEvents: false });

  it('delivers events already emitted before the application shuts down (none lost)', async () => {
    const emitter = new EventEmitter2();
    const delivered: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a slow async listener on purpose
    emitter.on(SessionEvents.CREATED, async (payload: SessionCreatedEvent) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      delivered.push(payload.sessionId ?? '');
    });
    const publisher = new SessionEventPublisher(options, new SessionMetrics(), emitter);
    publisher.publish(event());
    expect(delivered).toEqual([]); // never delivered on the caller's turn
    await publisher.onApplicationShutdown();
    expect(delivered).toEqual(['session-1']);
  });

  it('a throwing listener neither throws to the caller nor stops the other listeners', async () => {
    const emitter = new EventEmitter2();
    const reached: string[] = [];
    emitter.on(SessionEvents.CREATED, () => {
      throw new Error('listener bug');
    });
    emitter.on(SessionEvents.CREATED, () => reached.push('second'));
    const publisher = new SessionEventPublisher(options, new SessionMetrics(), emitter);
    jest.spyOn(publisher['logger'], 'error').mockImplementation(() => undefined);
    expect(() => publisher.publish(event())).not.toThrow();
    await publisher.onApplicationShutdown();
    expect(reached).toEqual(['second']);
  });
});
