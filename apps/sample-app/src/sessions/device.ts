import Bowser from 'bowser';
import type { ClientHints } from './client-hints';

/** What the account page shows for a session's client. */
export interface Device {
  /** "Chrome 156 on Linux", "Safari 18 on iOS 18.5", or the raw user agent when it names neither. */
  name: string;
  /** A phone or a tablet (the page draws another icon). */
  mobile: boolean;
}

/**
 * A readable name for a client, worked out on the server so the browser gets names rather than a
 * parser: from the User-Agent Client Hints the session kept when its browser sent them, else from
 * the user agent with bowser (MIT; ua-parser-js 2 is AGPL, and its 1.x line, which the page used
 * to ship to the browser, is legacy).
 */
export function describeDevice(userAgent: string | null, hints: ClientHints | null = null): Device {
  // Only Chromium browsers send hints, and their user agent says "Chrome/": another user agent
  // beside hints is a device emulated by DevTools or a test, which the user agent describes.
  if (hints !== null && (userAgent === null || userAgent.includes('Chrome/'))) {
    return { name: nameFromHints(hints), mobile: hints.mobile };
  }
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

function nameFromHints({ brand, version, platform, platformVersion }: ClientHints): string {
  const browser = [brand, version].filter(Boolean).join(' ');
  return platform ? `${browser} on ${systemName(platform, platformVersion)}` : browser;
}

/** Windows reports 13 and above for Windows 11, 1 to 10 for Windows 10 (Microsoft's mapping). */
function systemName(platform: string, platformVersion: string | null): string {
  if (platformVersion === null) return platform;
  const major = Number.parseInt(platformVersion, 10);
  if (platform === 'Windows' && major > 0) return `Windows ${major >= 13 ? 11 : 10}`;
  const shortVersion = platformVersion.replace(/(\.0)+$/, '');
  return shortVersion === '' || shortVersion === '0' ? platform : `${platform} ${shortVersion}`;
}
