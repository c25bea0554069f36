import { Test } from '@nestjs/testing';
import { FakeResponse } from '../../testing/fake-response';
import { FixedClock } from '../testing/fixed-clock';
import { makeSessionRecord } from '../testing/session-record.factory';
import { Clock } from '../clock/clock';
import type { Session } from '../session.interface';
import { resolveSessionOptions } from '../options/session-options.resolver';
import type { SessionModuleOptions } from '../options/session-module-options.interface';
import { SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { toSession } from '../core/session.mapper';
import { generateSessionToken } from '../token/session-token';
import { SessionCookie } from './session.cookie';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86400;

async function setup(options: SessionModuleOptions = {}) {
  const clock = new FixedClock(T0);
  const moduleRef = await Test.createTestingModule({
    providers: [
      SessionCookie,
      { provide: SESSION_RESOLVED_OPTIONS, useValue: resolveSessionOptions(options) },
      { provide: Clock, useValue: clock },
    ],
  }).compile();
  return { cookie: moduleRef.get(SessionCookie), clock, response: new FakeResponse() };
}

/** A session created at T0 that ends absolutely `absoluteSeconds` later. */
const sessionEnding = (absoluteSeconds: number): Session =>
  toSession(
    makeSessionRecord(T0, { absoluteExpiresAt: new Date(T0.getTime() + absoluteSeconds * 1000) }),
  );

describe('SessionCookie', () => {
  const token = generateSessionToken();

  describe('write', () => {
    it('sets exactly: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, Max-Age and Expires at the absolute expiry', async () => {
      const { cookie, response } = await setup();
      const session = sessionEnding(DAY);
      cookie.write(response.express, token, session);
      expect(response.values('Set-Cookie')).toEqual([
        `__Host-sid=${token}; Max-Age=${DAY}; Path=/; ` +
          `Expires=${session.absoluteExpiresAt.toUTCString()}; HttpOnly; Secure; SameSite=Lax`,
      ]);
    });

    it('computes Max-Age from the clock: what is left of the absolute lifetime, never more', async () => {
      const { cookie, clock, response } = await setup();
      clock.advance(3600);
      cookie.write(response.express, token, sessionEnding(DAY));
      expect(response.values('Set-Cookie')[0]).toContain(`; Max-Age=${DAY - 3600};`);
    });

    it('rounds a partial second down, so the cookie never outlives the session', async () => {
      const { cookie, clock, response } = await setup();
      clock.advance(DAY - 1.5);
      cookie.write(response.express, token, sessionEnding(DAY));
      expect(response.values('Set-Cookie')[0]).toContain('; Max-Age=1;');
    });

    it('never writes a negative Max-Age for a session already past its absolute expiry', async () => {
      const { cookie, clock, response } = await setup();
      clock.advance(DAY + 60);
      cookie.write(response.express, token, sessionEnding(DAY));
      expect(response.values('Set-Cookie')[0]).toContain('; Max-Age=0;');
    });

    it('forbids caching of the response (Cache-Control: no-store)', async () => {
      const { cookie, response } = await setup();
      cookie.write(response.express, token, sessionEnding(DAY));
      expect(response.getHeader('Cache-Control')).toBe('no-store');
    });

    it('appends to Set-Cookie headers already on the response instead of replacing them', async () => {
      const { cookie, response } = await setup();
      response.append('Set-Cookie', 'theme=dark; Path=/');
      response.append('Set-Cookie', 'lang=en; Path=/');
      cookie.write(response.express, token, sessionEnding(DAY));
      const values = response.values('Set-Cookie');
      expect(values).toHaveLength(3);
      expect(values.slice(0, 2)).toEqual(['theme=dark; Path=/', 'lang=en; Path=/']);
      expect(values[2]).toMatch(new RegExp(`^__Host-sid=${token};`));
    });

    it('follows the configured name, path, domain, secure and sameSite', async () => {
      const { cookie, response } = await setup({
        cookie: {
          name: 'sid',
          path: '/app',
          domain: 'example.com',
          secure: false,
          sameSite: 'strict',
        },
      });
      cookie.write(response.express, token, sessionEnding(DAY));
      const value = response.values('Set-Cookie')[0];
      expect(value).toMatch(new RegExp(`^sid=${token}; `));
      expect(value).toContain('; Domain=example.com; Path=/app; Expires=');
      expect(value).toContain('; HttpOnly; SameSite=Strict');
      expect(value).not.toContain('Secure');
    });
  });

  describe('clear', () => {
    it('expires the cookie at once: empty value, Max-Age=0 and an Expires in the past', async () => {
      const { cookie, response } = await setup();
      cookie.clear(response.express);
      expect(response.values('Set-Cookie')).toEqual([
        '__Host-sid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
      ]);
    });

    it('asks the browser to drop the site cookies and forbids caching', async () => {
      const { cookie, response } = await setup();
      cookie.clear(response.express);
      expect(response.getHeader('Clear-Site-Data')).toBe('"cookies"');
      expect(response.getHeader('Cache-Control')).toBe('no-store');
    });

    it('keeps Set-Cookie headers already on the response', async () => {
      const { cookie, response } = await setup();
      response.append('Set-Cookie', 'theme=dark; Path=/');
      cookie.clear(response.express);
      expect(response.values('Set-Cookie')).toHaveLength(2);
      expect(response.values('Set-Cookie')[0]).toBe('theme=dark; Path=/');
    });
  });

  describe('on every platform (no Express-only call)', () => {
    it('writes through a Fastify reply: header() accumulates Set-Cookie', async () => {
      const { cookie } = await setup();
      const headers: Record<string, string | string[]> = {};
      const reply = {
        header(name: string, value: string) {
          const key = name.toLowerCase();
          const previous = headers[key];
          headers[key] =
            key === 'set-cookie' && previous !== undefined ? [...[previous].flat(), value] : value;
          return this;
        },
      };
      cookie.write(reply, token, sessionEnding(DAY));
      cookie.clear(reply);
      expect(headers['set-cookie']).toHaveLength(2);
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['clear-site-data']).toBe('"cookies"');
    });

    it('writes through a bare Node ServerResponse', async () => {
      const { cookie } = await setup();
      const { ServerResponse, IncomingMessage } = await import('node:http');
      const { Socket } = await import('node:net');
      const response = new ServerResponse(new IncomingMessage(new Socket()));
      cookie.write(response, token, sessionEnding(DAY));
      cookie.write(response, token, sessionEnding(DAY));
      expect(response.getHeader('set-cookie')).toHaveLength(2);
    });

    it('says what it got when the response is none of them', async () => {
      const { cookie } = await setup();
      expect(() => cookie.write({}, token, sessionEnding(DAY))).toThrow(/Fastify reply/);
    });
  });
});
