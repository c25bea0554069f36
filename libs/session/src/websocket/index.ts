/**
 * `@nest-session/core/websocket`: sessions for socket.io gateways — handshake authentication,
 * notice when a socket's session ends (on any instance), and the guard's error kind. Needs the
 * optional peer `@nestjs/websockets`.
 */
export {
  SessionSockets,
  type SessionEnd,
  type SessionSocketMiddlewareOptions,
  type SocketClient,
  type SocketRefusal,
} from './session-sockets';
export { sessionOfSocket } from './session-of-socket';
export { toWsException } from './session-ws.errors';
export type { SocketHandshake } from '../pipeline/socket-request';
