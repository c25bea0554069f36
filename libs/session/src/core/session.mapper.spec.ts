import { normalizeContext, normalizeIp, sameIp } from './session.mapper';

describe('client addresses', () => {
  it('an IPv4-mapped IPv6 address becomes the IPv4 address it carries', () => {
    expect(normalizeIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeIp('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeContext({ ip: '::ffff:10.0.0.1', userAgent: null }).ip).toBe('10.0.0.1');
  });

  it('other addresses are kept as they are', () => {
    for (const ip of ['203.0.113.7', '2001:db8::1', '::1', '::ffff:2001:db8::1', 'not-an-ip']) {
      expect(normalizeIp(ip)).toBe(ip);
    }
  });

  it('a session stored with the mapped form is the same client as its IPv4 form (no ip change)', () => {
    expect(sameIp('::ffff:203.0.113.7', '203.0.113.7')).toBe(true);
    expect(sameIp(null, null)).toBe(true);
    expect(sameIp('203.0.113.7', null)).toBe(false);
    expect(sameIp('::ffff:203.0.113.7', '203.0.113.8')).toBe(false);
  });
});
