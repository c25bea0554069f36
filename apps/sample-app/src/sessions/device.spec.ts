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
});
