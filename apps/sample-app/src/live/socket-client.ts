import type { IncomingMessage } from 'node:http';
import type { SocketClient, SocketHandshake } from '@app/session/websocket';
import proxyAddr, { compile } from 'proxy-addr';
import type { TrustProxy } from '../config/trust-proxy.config';

/**
 * The client of a socket.io handshake under TRUST_PROXY's rules — the ones Express and Fastify
 * apply to HTTP (proxy-addr) — so a socket's ip matches its session's (the anomaly checks) and,
 * behind a TLS-terminating proxy, its origin is the public https one (the Origin check).
 */
export function socketClientResolver(
  trust: TrustProxy,
): ((handshake: SocketHandshake) => SocketClient) | undefined {
  if (trust === false) return undefined;
  const trusts =
    typeof trust === 'number'
      ? (_address: string, hop: number) => hop < trust
      : compile([...trust]);
  return (handshake) => {
    const peer = handshake.address ?? '';
    const request = {
      headers: handshake.headers,
      socket: { remoteAddress: peer },
    } as unknown as IncomingMessage;
    if (!trusts(peer, 0)) return { ip: peer };
    return {
      ip: proxyAddr(request, trusts),
      protocol: firstValue(handshake.headers['x-forwarded-proto']),
      host: firstValue(handshake.headers['x-forwarded-host']),
    };
  };
}

/** The first value of a forwarded header: what the client-facing proxy saw (later ones were added behind it). */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]?.trim() || undefined;
}
