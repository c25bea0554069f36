import type { SessionRequest } from './session-request';

/**
 * What the library reads of a socket.io handshake (`socket.handshake`), typed structurally so
 * the root entry needs no socket.io types.
 */
export interface SocketHandshake {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The peer address of the connection (a proxy's, behind one). */
  readonly address?: string;
  readonly secure?: boolean;
  /** The client's `auth` payload: `io(url, { auth: { token } })` for a bearer client. */
  readonly auth?: Readonly<Record<string, unknown>>;
}

/** A socket as far as the library is concerned: its handshake. */
export interface HandshakeCarrier {
  readonly handshake: SocketHandshake;
}

/**
 * The request each socket was authenticated from, so the guard re-validates a message with what
 * the handshake presented (and the client address the app resolved for it).
 */
const socketRequests = new WeakMap<object, SessionRequest>();

export function rememberSocketRequest(socket: object, request: SessionRequest): void {
  socketRequests.set(socket, request);
}

/**
 * The handshake as a request: the cookie as it came, or `auth.token` as a bearer header (a
 * token never travels in the handshake URL, which ends up in logs). Never rotated: a socket
 * cannot receive a cookie.
 */
export function handshakeRequest(
  handshake: SocketHandshake,
  overrides: Partial<Pick<SessionRequest, 'ip' | 'protocol' | 'host'>> = {},
): SessionRequest {
  const token = handshake.auth?.token;
  const headers =
    typeof token === 'string'
      ? { ...handshake.headers, authorization: `Bearer ${token}` }
      : handshake.headers;
  return {
    method: 'GET',
    headers,
    ip: overrides.ip ?? handshake.address,
    protocol: overrides.protocol ?? (handshake.secure ? 'https' : 'http'),
    host: overrides.host,
  };
}

/** The request of a socket client in a `ws` context, or undefined when it is not a socket.io one. */
export function socketRequestOf(client: unknown): SessionRequest | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  const remembered = socketRequests.get(client);
  if (remembered) return remembered;
  const handshake = (client as Partial<HandshakeCarrier>).handshake;
  return handshake?.headers === undefined ? undefined : handshakeRequest(handshake);
}
