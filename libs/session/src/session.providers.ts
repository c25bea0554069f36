import type { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, SystemClock } from './clock/clock';
import type { ResolvedSessionOptions } from './options/resolved-session-options';
import { resolveSessionOptions } from './options/resolve-session-options';
import type { SessionModuleOptions } from './options/session-module-options.interface';
import { SESSION_MODULE_OPTIONS } from './session.module-definition';
import { SESSION_RESOLVED_OPTIONS } from './session.constants';
import { SessionOptionsError } from './errors/session-options.error';
import { SessionStore } from './store/session.store';
import { TypeOrmSessionStore } from './store/postgres/postgres-session.store';

export const resolvedOptionsProvider: Provider = {
  provide: SESSION_RESOLVED_OPTIONS,
  useFactory: (options: SessionModuleOptions) => resolveSessionOptions(options),
  inject: [SESSION_MODULE_OPTIONS],
};

export const clockProvider: Provider = { provide: Clock, useClass: SystemClock };

/** The user's `store`, else the TypeORM store over the named DataSource. */
export const storeProvider: Provider = {
  provide: SessionStore,
  useFactory: (
    options: SessionModuleOptions,
    resolved: ResolvedSessionOptions,
    moduleRef: ModuleRef,
  ): SessionStore => {
    if (options.store !== undefined) {
      if (!(options.store instanceof SessionStore)) {
        throw new SessionOptionsError(
          'store',
          'an instance of a SessionStore subclass',
          options.store,
        );
      }
      return options.store;
    }
    return new TypeOrmSessionStore(() => findDataSource(moduleRef, resolved.dataSourceName));
  },
  inject: [SESSION_MODULE_OPTIONS, SESSION_RESOLVED_OPTIONS, ModuleRef],
};

function findDataSource(moduleRef: ModuleRef, name: string): DataSource {
  try {
    return moduleRef.get<DataSource>(getDataSourceToken(name), { strict: false });
  } catch {
    throw new SessionOptionsError(
      'dataSourceName',
      `the name of a TypeORM DataSource registered with TypeOrmModule.forRoot() before SessionModule ` +
        `(or pass a "store")`,
      name,
    );
  }
}
