import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { graphqlContext, httpContext, makeRequest } from '../../testing/execution-context.factory';
import { makeSessionRecord } from '../../testing/session-record.factory';
import { attachSession } from '../pipeline/session-request';
import { toSession } from '../core/session.mapper';
import { currentSessionFactory } from './current-session.decorator';
import { currentUserIdFactory } from './current-user-id.decorator';

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
    attachSession(request, session, 'cookie');

    it('@CurrentSession() yields that session', () => {
      expect(currentSessionFactory(undefined, contextOf(request))).toBe(session);
    });

    it('@CurrentUserId() yields its user id', () => {
      expect(currentUserIdFactory(undefined, contextOf(request))).toBe('u-42');
    });
  });

  describe('without a session (public route)', () => {
    it('both yield undefined rather than throwing', () => {
      const request = makeRequest();
      expect(currentSessionFactory(undefined, contextOf(request))).toBeUndefined();
      expect(currentUserIdFactory(undefined, contextOf(request))).toBeUndefined();
    });
  });

  it('read the session of their own request only', () => {
    const mine = makeRequest();
    attachSession(makeRequest(), session, 'bearer');
    expect(currentSessionFactory(undefined, contextOf(mine))).toBeUndefined();
  });
});
