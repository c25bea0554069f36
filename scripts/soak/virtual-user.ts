import { randomBytes } from 'node:crypto';
import type { Reply, SoakClient } from './soak-client';

/** Relative weights of what a virtual user does next. */
const MIX: [Action, number][] = [
  ['me', 50],
  ['list', 15],
  ['login', 10],
  ['revoke', 5],
  ['logout', 6],
  ['register', 3],
  ['password', 2],
];
type Action = 'me' | 'list' | 'login' | 'revoke' | 'logout' | 'register' | 'password';
const TOTAL_WEIGHT = MIX.reduce((sum, [, weight]) => sum + weight, 0);

interface Held {
  token: string;
  sessionId: string;
}

/**
 * One user's traffic, as a client that keeps its state would send it: it knows its password and
 * its live tokens (oldest first; the app's limit of 5 evicts the oldest), so every answer it gets
 * has one correct status. Sensitive actions may need a fresh session (403 reauth_required), which
 * the user answers with POST /auth/reauth, as an app would.
 */
export class VirtualUser {
  private email = '';
  private password = '';
  private held: Held[] = [];

  constructor(
    private readonly client: SoakClient,
    private readonly sessionLimit: number,
  ) {}

  async step(): Promise<void> {
    if (this.email === '') return this.register();
    if (this.held.length === 0) return this.login();
    switch (pick()) {
      case 'me':
        return void (await this.client.call('GET /me', 'GET', '/me', {
          token: this.any().token,
          expect: [200],
        }));
      case 'list':
        return void (await this.client.call('GET /sessions', 'GET', '/sessions', {
          token: this.any().token,
          expect: [200],
        }));
      case 'login':
        return this.login();
      case 'revoke':
        return this.revokeOldest();
      case 'logout':
        return this.logout();
      case 'register':
        return this.register();
      case 'password':
        return this.changePassword();
    }
  }

  private async register(): Promise<void> {
    const email = `soak-${randomBytes(8).toString('hex')}@example.test`;
    const password = `soak ${randomBytes(6).toString('hex')}`;
    const reply = await this.client.call('POST /auth/register', 'POST', '/auth/register', {
      body: { email, password },
      expect: [201],
    });
    if (reply?.status !== 201) return;
    // A new account: the previous one's sessions are left alive, as a real abandoned browser's.
    this.email = email;
    this.password = password;
    this.held = [];
    await this.login();
  }

  private async login(): Promise<void> {
    const reply = await this.client.call('POST /auth/token', 'POST', '/auth/token', {
      body: { email: this.email, password: this.password },
      expect: [200],
    });
    const issued = issuedOf(reply);
    if (!issued) return;
    this.held.push(issued);
    // evict-oldest: beyond the limit, the app has ended the oldest session.
    if (this.held.length > this.sessionLimit) this.held.shift();
  }

  private async logout(): Promise<void> {
    const held = this.held.pop() as Held;
    await this.client.call('POST /auth/logout', 'POST', '/auth/logout', {
      token: held.token,
      expect: [204],
    });
  }

  private async revokeOldest(): Promise<void> {
    if (this.held.length < 2) return this.login();
    const [victim] = this.held;
    const reply = await this.fresh(
      'DELETE /sessions/:id',
      'DELETE',
      `/sessions/${victim.sessionId}`,
    );
    if (reply?.status === 204) this.held = this.held.filter((h) => h !== victim);
  }

  private async changePassword(): Promise<void> {
    const newPassword = `soak ${randomBytes(6).toString('hex')}`;
    const reply = await this.fresh('POST /auth/password', 'POST', '/auth/password', {
      currentPassword: this.password,
      newPassword,
    });
    const issued = issuedOf(reply);
    if (!issued) return;
    this.password = newPassword;
    // Every other session ended with the change; this one lives on under a new token.
    this.held = [issued];
  }

  /** A sensitive request with the newest session, re-authenticating once if it is not fresh. */
  private async fresh(route: string, method: string, path: string, body?: unknown) {
    const current = this.held[this.held.length - 1];
    const ok = route === 'DELETE /sessions/:id' ? 204 : 200;
    const first = await this.client.call(route, method, path, {
      token: current.token,
      body,
      expect: [ok, 403],
    });
    if (first?.status !== 403 || first.body.error !== 'reauth_required') return first;
    const reauth = await this.client.call('POST /auth/reauth', 'POST', '/auth/reauth', {
      token: current.token,
      body: { password: this.password },
      expect: [200],
    });
    const renewed = issuedOf(reauth);
    if (!renewed) return undefined;
    current.token = renewed.token;
    return this.client.call(route, method, path, { token: current.token, body, expect: [ok] });
  }

  private any(): Held {
    return this.held[Math.floor(Math.random() * this.held.length)];
  }
}

function pick(): Action {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [action, weight] of MIX) {
    roll -= weight;
    if (roll < 0) return action;
  }
  return 'me';
}

function issuedOf(reply: Reply | undefined): Held | undefined {
  if (reply?.status !== 200) return undefined;
  const token = reply.body.token;
  const session = reply.body.session as { id?: unknown } | undefined;
  if (typeof token !== 'string' || typeof session?.id !== 'string') return undefined;
  return { token, sessionId: session.id };
}
