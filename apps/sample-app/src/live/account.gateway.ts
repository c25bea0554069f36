import { Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type OnGatewayConnection,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { SessionEvent } from '@app/session';
import { SessionSockets, sessionOfSocket } from '@app/session/websocket';
import type { Namespace, Socket } from 'socket.io';
import { socketClientResolver } from './socket-client';
import { OnAnySessionEvent } from '../audit/on-session-event.decorator';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';

/** The room of every socket of one user, for `session.event` pushes. */
const userRoom = (userId: string): string => `user:${userId}`;

/**
 * socket.io namespace `/account` on the default path: the account page's live view.
 * - The handshake is authenticated like an HTTP request (cookie from the app's own origin or
 *   CSRF_ALLOWED_ORIGINS, or `auth: { token }`); any other gets `connect_error` `unauthorized`.
 * - On connect: `session` `{ id, userId }`. Then every session event of that user as
 *   `session.event` `{ type, sessionId, reason, at }` — never a token.
 * - When the socket's own session ends (anywhere, or by expiry): `session.ended` `{ reason }`,
 *   then the socket is closed.
 */
// The browser client is served by AccountPageController, with the app's security headers.
@WebSocketGateway({ namespace: '/account', serveClient: false })
export class AccountGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<Socket> {
  @WebSocketServer() private readonly namespace!: Namespace;

  constructor(
    private readonly sockets: SessionSockets,
    @Inject(ConfigService) private readonly configService: AppConfigService,
  ) {}

  afterInit(namespace: Namespace): void {
    const config = appConfigFrom(this.configService);
    namespace.use(this.sockets.middleware({ client: socketClientResolver(config.trustProxy) }));
  }

  handleConnection(socket: Socket): void {
    const session = sessionOfSocket(socket);
    void socket.join(userRoom(session.userId));
    socket.emit('session', { id: session.id, userId: session.userId });
    const stop = this.sockets.watch(session, ({ reason }) => {
      socket.emit('session.ended', { reason });
      socket.disconnect(true);
    });
    socket.once('disconnect', stop);
  }

  /**
   * Events happen on the instance that caused them; the room, through the socket.io adapter of
   * SocketFanOut, reaches that user's sockets on every instance.
   */
  @OnAnySessionEvent()
  forward(event: SessionEvent): void {
    if (!this.namespace) return;
    this.namespace.to(userRoom(event.userId)).emit('session.event', {
      type: event.type,
      sessionId: event.sessionId,
      reason: event.reason,
      at: event.at,
    });
  }
}
