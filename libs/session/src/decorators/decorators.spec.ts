import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { graphqlContext, httpContext, makeRequest } from '../../testing/execution-context.factory';
import { makeSessionRecord } from '../testing/session-record.factory';
import { attachAuthentication, markPublic } from '../pipeline/session-request';
import { toSession } from '../core/session.mapper';
import { currentSessionFactory } from './current-session.decorator';
import { currentUserIdFactory } from './current-user-id.decorator';
import { currentUserFactory } from './current-user.decorator';

const contexts: [string, (request: Request) => ExecutionContext][] = [
  ['HTTP', (request) => httpContext(request)],
  ['GraphQL', (request) => graphqlContext(request)],
];

describe.each(contexts)('param decorators in a %s context', (_type, contextOf) => {
  const session = toSession(
    makeSessionRecord(new Date('2026-03-01T12:00:00Z'), { userId: 'u-42' }),
  );

  describe('with a session attached by the guard', () => {
    const request = makeRequest();
    attachAuthentication(request, { session, via: 'cookie', user: { name: 'Ada' } });

    it('@CurrentSession() yields that session', () => {
      expect(currentSessionFactory(undefined, contextOf(request))).toBe(session);
    });

    it('@CurrentUserId() yields its user id', () => {
      expect(currentUserIdFactory(undefined, contextOf(request))).toBe('u-42');
    });

    it('@CurrentUser() yields what resolveUser returned', () => {
      expect(currentUserFactory(undefined, contextOf(request))).toEqual({ name: 'Ada' });
    });
  });

  describe('on a @Public() route the guard let through', () => {
    it('all yield undefined rather than throwing', () => {
      const request = makeRequest();
      markPublic(request);
      expect(currentSessionFactory(undefined, contextOf(request))).toBeUndefined();
      expect(currentUserIdFactory(undefined, contextOf(request))).toBeUndefined();
      expect(currentUserFactory(undefined, contextOf(request))).toBeUndefined();
    });
  });

  describe('when no session guard ran at all (a wiring mistake)', () => {
    it('throw a developer error that says how to register the guard', () => {
      const request = makeRequest();
      for (const factory of [currentSessionFactory, currentUserIdFactory, currentUserFactory]) {
        expect(() => factory(undefined, contextOf(request))).toThrow(/APP_GUARD/);
      }
    });
  });

  it('read the session of their own request only', () => {
    const mine = makeRequest();
    markPublic(mine);
    attachAuthentication(makeRequest(), { session, via: 'bearer', user: undefined });
    expect(currentSessionFactory(undefined, contextOf(mine))).toBeUndefined();
  });
});
