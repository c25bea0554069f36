import { BlockList, isIP } from 'node:net';

/**
 * Addresses that say nothing about where a client is: private networks, loopback, link-local,
 * carrier-grade NAT, unspecified. A change between two of them (or to one) is never travel.
 */
const NOT_LOCATABLE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  NOT_LOCATABLE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  NOT_LOCATABLE.addSubnet(network, prefix, 'ipv6');
}

/** Whether `ip` is a public address a location database could know. */
export function isLocatable(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return !NOT_LOCATABLE.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
