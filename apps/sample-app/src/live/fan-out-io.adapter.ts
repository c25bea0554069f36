import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { SOCKET_FAN_OUT } from './live.module';
import type { SocketAdapterFactory, SocketFanOut } from './socket-fan-out';

/** Nest's socket.io adapter, with the server's namespaces on the app's cross-instance fan-out. */
class FanOutIoAdapter extends IoAdapter {
  constructor(
    app: INestApplication,
    private readonly fanOut: SocketAdapterFactory | undefined,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, options);
    if (this.fanOut) server.adapter(this.fanOut);
    return server;
  }
}

/** Before `listen()`: the gateways' servers are created on `init`, with this adapter. */
export function useSocketFanOut(app: INestApplication): void {
  app.useWebSocketAdapter(new FanOutIoAdapter(app, app.get<SocketFanOut>(SOCKET_FAN_OUT).adapter));
}
