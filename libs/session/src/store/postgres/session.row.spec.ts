import { type SessionTuple, toSessionRecord } from './session.row';

const tuple: SessionTuple = [
  '2f1c7a52-4a8e-4d0c-9a51-1d3a9f0e7b11',
  'ab'.repeat(32),
  'user-1',
  'csrf',
  { theme: 'dark' },
  '203.0.113.7',
  'agent',
  'dpop:thumbprint',
  '198.51.100.4',
  1_764_100_000_200,
  1_764_100_000_000,
  1_764_100_001_000,
  1_764_101_000_000,
  1_764_700_000_000,
  1_764_100_000_000,
  1_764_100_000_500,
  3,
  null,
  null,
  1_765_000_000_000,
];

describe('toSessionRecord', () => {
  it('maps the json tuple of SESSION_SELECT to a record', () => {
    const record = toSessionRecord({ session: tuple });
    expect(record).toEqual({
      id: tuple[0],
      tokenHash: Buffer.alloc(32, 0xab),
      userId: 'user-1',
      csrfToken: 'csrf',
      data: { theme: 'dark' },
      ip: '203.0.113.7',
      userAgent: 'agent',
      boundKey: 'dpop:thumbprint',
      lastIp: '198.51.100.4',
      lastIpAt: new Date(1_764_100_000_200),
      createdAt: new Date(1_764_100_000_000),
      lastSeenAt: new Date(1_764_100_001_000),
      idleExpiresAt: new Date(1_764_101_000_000),
      absoluteExpiresAt: new Date(1_764_700_000_000),
      authenticatedAt: new Date(1_764_100_000_000),
      rotatedAt: new Date(1_764_100_000_500),
      generation: 3,
      endedAt: null,
      endReason: null,
      purgeAfter: new Date(1_765_000_000_000),
    });
  });

  it('accepts the tuple as text, for pools whose json parser was replaced', () => {
    const ended: SessionTuple = [...tuple];
    ended[17] = 1_764_200_000_000;
    ended[18] = 'logout';
    const record = toSessionRecord({ session: JSON.stringify(ended) });
    expect(record.endedAt).toEqual(new Date(1_764_200_000_000));
    expect(record.endReason).toBe('logout');
    expect(record.data).toEqual({ theme: 'dark' });
  });
});
