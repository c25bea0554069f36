import { Module } from '@nestjs/common';
import { AccountPageController } from './account-page.controller';

/** The account-security page at `/` (its CSS and script are static files, see configureApp). */
@Module({ controllers: [AccountPageController] })
export class AccountPageModule {}
