import Bowser from 'bowser';

/** What the account page shows for a session's client. */
export interface Device {
  /** "Chrome 156 on Linux", "Safari 18 on iOS 18.5", or the raw user agent when it names neither. */
  name: string;
  /** A phone or a tablet (the page draws another icon). */
  mobile: boolean;
}

/**
 * A readable name for a user agent, worked out on the server with bowser (MIT; ua-parser-js 2 is
 * AGPL, and its 1.x line, which the page used to ship to the browser, is legacy), so the browser
 * gets names rather than a parser.
 */
export function describeDevice(userAgent: string | null): Device {
  if (!userAgent) return { name: 'Unknown device', mobile: false };
  const { browser, os, platform } = Bowser.parse(userAgent);
  const browserName = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ');
  const osName = [os.name, os.version].filter(Boolean).join(' ');
  const name = [browserName, osName].filter(Boolean).join(' on ');
  return {
    name: name || userAgent,
    mobile: platform.type === 'mobile' || platform.type === 'tablet',
  };
}
