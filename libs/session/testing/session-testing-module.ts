import type { Provider } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { Clock } from '../src/clock/clock';
import type { SessionEvent } from '../src/events/session-event.payloads';
import { SessionEventPublisher } from '../src/events/session-event.publisher';
import { SessionMetrics } from '../src/metrics/session.metrics';
import { SessionValidationCache } from '../src/cache/session-validation.cache';
import { resolveSessionOptions } from '../src/options/resolve-session-options';
import type { SessionModuleOptions } from '../src/options/session-module-options.interface';
import { SessionAnomalyDetector } from '../src/security/session-anomaly.detector';
import { SESSION_RESOLVED_OPTIONS } from '../src/session.constants';
import { SessionService } from '../src/session.service';
import { SessionValidator } from '../src/core/session.validator';
import { SessionWriter } from '../src/core/session.writer';
import { InMemorySessionStore } from '../src/store/memory/in-memory-session.store';
import { SessionStore } from '../src/store/session.store';
import { FixedClock } from './fixed-clock';

export const T0 = new Date('2026-03-01T12:00:00.000Z');

/** The client of every request in these tests, unchanged so no anomaly is reported. */
export const CLIENT = Object.freeze({ ip: '203.0.113.7', userAgent: 'jest-browser/1.0' });

export interface CollectedEvent {
  name: string;
  payload: SessionEvent;
}

export interface SessionTestingModule<S extends SessionStore> {
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

/**
 * `SessionService` wired as the module wires it — resolved options, a store, a `FixedClock`,
 * the publisher on a real `EventEmitter2` — with a listener collecting every event.
 * Event logging is off unless the options turn it on, to keep test output readable.
 */
export async function createSessionTestingModule<S extends SessionStore = InMemorySessionStore>(
  options: SessionModuleOptions = {},
  { store, providers = [] }: { store?: S; providers?: Provider[] } = {},
): Promise<SessionTestingModule<S>> {
  const clock = new FixedClock(T0);
  const sessionStore = store ?? (new InMemorySessionStore() as SessionStore as S);
  const moduleRef = await Test.createTestingModule({
    imports: [EventEmitterModule.forRoot()],
    providers: [
      SessionService,
      SessionValidator,
      SessionWriter,
      SessionEventPublisher,
      SessionAnomalyDetector,
      SessionMetrics,
      SessionValidationCache,
      {
        provide: SESSION_RESOLVED_OPTIONS,
        useValue: resolveSessionOptions({ logEvents: false, ...options }),
      },
      { provide: SessionStore, useValue: sessionStore },
      { provide: Clock, useValue: clock },
      ...providers,
    ],
  }).compile();
  const emitter = moduleRef.get(EventEmitter2);
  const events: CollectedEvent[] = [];
  emitter.onAny((name, payload) => {
    events.push({ name: String(name), payload: payload as SessionEvent });
  });
  return {
    moduleRef,
    service: moduleRef.get(SessionService),
    store: sessionStore,
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
