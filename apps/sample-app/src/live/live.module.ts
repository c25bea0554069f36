import { Module } from '@nestjs/common';
import { AccountGateway } from './account.gateway';

/** The account page's live view over socket.io (namespace /account). */
@Module({ providers: [AccountGateway] })
export class LiveModule {}
