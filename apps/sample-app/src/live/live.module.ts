import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccountGateway } from './account.gateway';
import { openSocketFanOut, type SocketFanOut } from './socket-fan-out';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';

/** Injection token of the app's SocketFanOut (socket.io's adapter across instances). */
export const SOCKET_FAN_OUT = Symbol('SOCKET_FAN_OUT');

/** Runs after Nest closed the socket.io server, which released the adapter's connections. */
class SocketFanOutShutdown implements OnApplicationShutdown {
  constructor(@Inject(SOCKET_FAN_OUT) private readonly fanOut: SocketFanOut) {}

  async onApplicationShutdown(): Promise<void> {
    await this.fanOut.close();
  }
}

/** The account page's live view over socket.io (namespace /account), on every instance. */
@Module({
  providers: [
    AccountGateway,
    {
      provide: SOCKET_FAN_OUT,
      inject: [ConfigService],
      useFactory: (configService: AppConfigService) =>
        openSocketFanOut(appConfigFrom(configService)),
    },
    SocketFanOutShutdown,
  ],
  exports: [SOCKET_FAN_OUT],
})
export class LiveModule {}
