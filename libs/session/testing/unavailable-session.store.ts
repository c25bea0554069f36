import { SessionStore } from '../src/store/session.store';

/**
 * A store whose every call rejects, like a database that is down or out of connections:
 * for tests proving that callers fail closed.
 */
export class UnavailableSessionStore extends SessionStore {
  readonly error = new Error('connect ECONNREFUSED 127.0.0.1:5432');

  create(): Promise<never> {
    return this.fail();
  }
  findByTokenHash(): Promise<never> {
    return this.fail();
  }
  findRotatedToken(): Promise<never> {
    return this.fail();
  }
  findById(): Promise<never> {
    return this.fail();
  }
  touch(): Promise<never> {
    return this.fail();
  }
  rotate(): Promise<never> {
    return this.fail();
  }
  end(): Promise<never> {
    return this.fail();
  }
  endAllForUser(): Promise<never> {
    return this.fail();
  }
  endAll(): Promise<never> {
    return this.fail();
  }
  listActive(): Promise<never> {
    return this.fail();
  }
  countActive(): Promise<never> {
    return this.fail();
  }
  updateData(): Promise<never> {
    return this.fail();
  }
  purge(): Promise<never> {
    return this.fail();
  }

  private fail(): Promise<never> {
    return Promise.reject(this.error);
  }
}
