import type { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Clock, SystemClock } from './clock/clock';
import { SessionOptionsError } from './errors/session-options.error';
import {
  LocalInvalidationChannel,
  SessionInvalidationChannel,
} from './invalidation/session-invalidation.channel';
import type { ResolvedSessionOptions } from './options/resolved-session-options.interface';
import type { SessionModuleOptions } from './options/session-module-options.interface';
import { resolveSessionOptions } from './options/session-options.resolver';
import { SessionPolicy } from './policy/session.policy';
import { SESSION_RESOLVED_OPTIONS, SESSION_STORE_PROVIDER } from './session.constants';
import { SESSION_MODULE_OPTIONS } from './session.module-definition';
import { PgNotifyInvalidationChannel } from './store/postgres/pg-notify-invalidation.channel';
import { PostgresSessionStore } from './store/postgres/postgres-session.store';
import { RedisInvalidationChannel } from './store/redis/redis-invalidation.channel';
import { RedisSessionStore } from './store/redis/redis-session.store';
import { SessionStore } from './store/session.store';

export const resolvedOptionsProvider: Provider = {
  provide: SESSION_RESOLVED_OPTIONS,
  useFactory: (options: SessionModuleOptions) => resolveSessionOptions(options),
  inject: [SESSION_MODULE_OPTIONS],
};

export const clockProvider: Provider = { provide: Clock, useClass: SystemClock };

export const policyProvider: Provider = {
  provide: SessionPolicy,
  useFactory: (options: ResolvedSessionOptions) => new SessionPolicy(options),
  inject: [SESSION_RESOLVED_OPTIONS],
};

/**
 * The `store` given to forRoot/forRootAsync (as an instance or a provider), else the one in the
 * options, else the PostgreSQL store over the named TypeORM DataSource. `@nestjs/typeorm` is
 * loaded only in that last case, so an app with its own store needs neither it nor TypeORM.
 */
export const storeProvider: Provider = {
  provide: SessionStore,
  useFactory: async (
    options: SessionModuleOptions,
    resolved: ResolvedSessionOptions,
    moduleRef: ModuleRef,
    provided: unknown,
  ): Promise<SessionStore> => {
    const store = provided ?? options.store;
    if (store === undefined) return defaultStore(moduleRef, resolved.dataSourceName);
    if (store instanceof SessionStore) return store;
    throw new SessionOptionsError(
      'store',
      'an instance of a SessionStore subclass (provider forms such as { useFactory, inject } go ' +
        'beside useFactory in forRootAsync({ …, store }), not in the options it returns)',
      store,
    );
  },
  inject: [
    SESSION_MODULE_OPTIONS,
    SESSION_RESOLVED_OPTIONS,
    ModuleRef,
    { token: SESSION_STORE_PROVIDER, optional: true },
  ],
};

/**
 * How instances hear about each other's changes (for the validation cache): the `invalidation`
 * option, else the channel of the store's own backend, else in-process only.
 */
export const invalidationChannelProvider: Provider = {
  provide: SessionInvalidationChannel,
  useFactory: (options: SessionModuleOptions, store: SessionStore): SessionInvalidationChannel => {
    if (options.invalidation instanceof SessionInvalidationChannel) return options.invalidation;
    if (options.invalidation !== undefined) {
      throw new SessionOptionsError(
        'invalidation',
        'an instance of a SessionInvalidationChannel subclass',
        options.invalidation,
      );
    }
    if (store instanceof PostgresSessionStore)
      return new PgNotifyInvalidationChannel(() => store.pool);
    if (store instanceof RedisSessionStore) {
      return new RedisInvalidationChannel(store.client, store.prefix);
    }
    return new LocalInvalidationChannel();
  },
  inject: [SESSION_MODULE_OPTIONS, SessionStore],
};

async function defaultStore(moduleRef: ModuleRef, dataSourceName: string): Promise<SessionStore> {
  let typeorm: typeof import('@nestjs/typeorm');
  try {
    typeorm = await import('@nestjs/typeorm');
  } catch {
    throw new SessionOptionsError(
      'SessionModule has no "store" and @nestjs/typeorm is not installed: install ' +
        '@nestjs/typeorm, typeorm and pg for the default PostgreSQL store, or pass a store ' +
        '(e.g. RedisSessionStore from @nest-session/core/redis).',
    );
  }
  const token = typeorm.getDataSourceToken(dataSourceName);
  return new PostgresSessionStore(() => {
    try {
      return moduleRef.get(token, { strict: false });
    } catch {
      throw new SessionOptionsError(
        'dataSourceName',
        'the name of a TypeORM DataSource registered with TypeOrmModule.forRoot() before ' +
          'SessionModule (or pass a "store")',
        dataSourceName,
      );
    }
  });
}
