import { clientHintsOf } from './client-hints';

const chrome = {
  'sec-ch-ua': '"Google Chrome";v="156", "Not-A.Brand";v="24", "Chromium";v="156"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
};

describe('clientHintsOf', () => {
  it("reads the vendor's brand over Chromium and skips the GREASE brand", () => {
    expect(clientHintsOf(chrome)).toEqual({
      brand: 'Google Chrome',
      version: '156',
      platform: 'Windows',
      platformVersion: null,
      mobile: false,
    });
  });

  it('falls back to Chromium, and reads the mobile flag and a platform version when sent', () => {
    expect(
      clientHintsOf({
        'sec-ch-ua': '"Not)A;Brand";v="8", "Chromium";v="156"',
        'sec-ch-ua-mobile': '?1',
        'sec-ch-ua-platform': '"Android"',
        'sec-ch-ua-platform-version': '"15.0.0"',
      }),
    ).toEqual({
      brand: 'Chromium',
      version: '156',
      platform: 'Android',
      platformVersion: '15.0.0',
      mobile: true,
    });
  });

  it('gives nothing without hints or for a malformed header, and bounds what it keeps', () => {
    expect(clientHintsOf({})).toBeNull();
    expect(clientHintsOf({ 'sec-ch-ua': '"unterminated' })).toBeNull();
    expect(clientHintsOf({ 'sec-ch-ua': '"Not.A/Brand";v="99"' })).toBeNull();
    const long = clientHintsOf({ 'sec-ch-ua': `"${'x'.repeat(500)}";v="1"` });
    expect(long?.brand).toHaveLength(64);
  });
});
