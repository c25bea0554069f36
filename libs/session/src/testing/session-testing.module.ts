import type { ModuleMetadata } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { Clock } from '../clock/clock';
import type { SessionEvent } from '../events/session-event.payloads';
import type { SessionModuleOptions } from '../options/session-module-options.interface';
import { SessionModule } from '../session.module';
import { SessionService } from '../session.service';
import { InMemorySessionStore } from '../store/memory/in-memory-session.store';
import { type SessionStore } from '../store/session.store';
import { FixedClock } from './fixed-clock';

/** When the testing module's clock starts. */
export const T0 = new Date('2026-03-01T12:00:00.000Z');

/** The client of every request in these tests, unchanged so no anomaly is reported. */
export const CLIENT = Object.freeze({ ip: '203.0.113.7', userAgent: 'jest-browser/1.0' });

export interface CollectedEvent {
  name: string;
  payload: SessionEvent;
}

export interface SessionTestingModule<S extends SessionStore = SessionStore> {
  moduleRef: TestingModule;
  service: SessionService;
  store: S;
  clock: FixedClock;
  emitter: EventEmitter2;
  /** Every event delivered so far, in order. Call `flushEvents()` before reading. */
  events: CollectedEvent[];
  /** Events delivered so far with this name. */
  eventsNamed(name: string): SessionEvent[];
}

export interface SessionTestingModuleExtras<S extends SessionStore> {
  /** The store under test. @default a new InMemorySessionStore */
  store?: S;
  /** More providers (the code under test), imports, controllers. */
  providers?: ModuleMetadata['providers'];
  imports?: ModuleMetadata['imports'];
  controllers?: ModuleMetadata['controllers'];
}

/**
 * `SessionModule.forRoot(options)` as an app registers it, with an in-memory store (or yours), a
 * `FixedClock` in place of the system clock (timeouts without sleeping) and a listener collecting
 * every event. Event logging is off unless the options turn it on. Close it with
 * `moduleRef.close()`.
 *
 * @publicApi
 * @example
 * const t = await createSessionTestingModule({ idleTimeout: 600 }, { providers: [MyService] });
 * const { token } = await t.service.create('user-1', CLIENT);
 * t.clock.advance(601);
 * expect(await t.service.validate(token, CLIENT)).toBeNull();
 */
export async function createSessionTestingModule<S extends SessionStore = InMemorySessionStore>(
  options: SessionModuleOptions = {},
  extras: SessionTestingModuleExtras<S> = {},
): Promise<SessionTestingModule<S>> {
  const clock = new FixedClock(T0);
  const store = extras.store ?? (new InMemorySessionStore() as SessionStore as S);
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot(),
      SessionModule.forRoot({ logEvents: false, ...options, store }),
      ...(extras.imports ?? []),
    ],
    providers: extras.providers ?? [],
    controllers: extras.controllers ?? [],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  const emitter = moduleRef.get(EventEmitter2);
  const events: CollectedEvent[] = [];
  emitter.onAny((name, payload) => {
    events.push({ name: String(name), payload: payload as SessionEvent });
  });
  return {
    moduleRef,
    service: moduleRef.get(SessionService),
    store,
    clock,
    emitter,
    events,
    eventsNamed: (name) => events.filter((e) => e.name === name).map((e) => e.payload),
  };
}

/** Events are delivered on `setImmediate`; two turns let every queued listener run. */
export async function flushEvents(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
