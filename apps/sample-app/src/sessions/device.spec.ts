import { describeDevice } from './device';

describe('describeDevice', () => {
  it('names the browser (major version) and the system', () => {
    expect(
      describeDevice(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      ),
    ).toEqual({ name: 'Chrome 156 on Linux', mobile: false });
    expect(
      describeDevice(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ name: 'Safari 18 on iOS 18.5', mobile: true });
  });

  it('keeps a user agent it cannot read, and says so when there is none', () => {
    expect(describeDevice('device-a')).toEqual({ name: 'device-a', mobile: false });
    expect(describeDevice(null)).toEqual({ name: 'Unknown device', mobile: false });
  });

  it('prefers the Client Hints a session kept, which do not claim a frozen system version', () => {
    const reducedWindowsUa =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
    const hints = {
      brand: 'Google Chrome',
      version: '156',
      platform: 'Windows',
      platformVersion: null,
      mobile: false,
    };
    expect(describeDevice(reducedWindowsUa)).toEqual({
      name: 'Chrome 156 on Windows NT 10.0',
      mobile: false,
    });
    expect(describeDevice(reducedWindowsUa, hints)).toEqual({
      name: 'Google Chrome 156 on Windows',
      mobile: false,
    });
    expect(describeDevice(reducedWindowsUa, { ...hints, platformVersion: '15.0.0' }).name).toBe(
      'Google Chrome 156 on Windows 11',
    );
    expect(
      describeDevice(null, {
        ...hints,
        brand: 'Chromium',
        platform: 'Android',
        platformVersion: '15.0.0',
        mobile: true,
      }),
    ).toEqual({ name: 'Chromium 156 on Android 15', mobile: true });
  });

  it('trusts a user agent that is not Chromium over hints (an emulated device)', () => {
    const safari =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';
    const emulated = {
      brand: 'Chromium',
      version: '156',
      platform: 'iOS',
      platformVersion: null,
      mobile: true,
    };
    expect(describeDevice(safari, emulated).name).toBe('Safari 18 on iOS 18.5');
  });
});
