import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type AppConfigService, appConfigFrom } from '../config/app-config.module';
import { IpLocator } from './ip-locator';

/** The one ip locator of the app (its databases are loaded once), for the session module and the pages. */
@Global()
@Module({
  providers: [
    {
      provide: IpLocator,
      inject: [ConfigService],
      useFactory: (config: AppConfigService) => new IpLocator(appConfigFrom(config).session.geoip),
    },
  ],
  exports: [IpLocator],
})
export class GeoModule {}
