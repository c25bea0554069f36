import { describeSessionStore } from '../../testing/session-store.conformance';
import { InMemorySessionStore } from './in-memory-session.store';

describeSessionStore('InMemorySessionStore', async () => ({ store: new InMemorySessionStore() }));
