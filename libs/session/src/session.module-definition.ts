import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import type {
  SessionModuleOptions,
  SessionStoreProvider,
} from './options/session-module-options.interface';
import { SESSION_STORE_PROVIDER } from './session.constants';
import { SessionStore } from './store/session.store';

/** Options of `forRoot`/`forRootAsync` that shape the module itself rather than its behaviour. */
interface SessionModuleExtras {
  /** Register the module globally. @default false */
  isGlobal?: boolean;
  /** See `SessionModuleOptions.store`; with `forRootAsync`, provider forms go here. */
  store?: SessionStore | SessionStoreProvider;
}

const definition = new ConfigurableModuleBuilder<SessionModuleOptions>({ moduleName: 'Session' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSessionOptions')
  .setExtras<SessionModuleExtras>({ isGlobal: false, store: undefined }, (module, extras) => ({
    ...module,
    global: extras.isGlobal,
    providers: [...(module.providers ?? []), ...storeProviders(extras.store)],
  }))
  .build();

export const ConfigurableSessionModule = definition.ConfigurableModuleClass;

/**
 * DI token of the options as the app passed them (before defaults and checks); most code wants
 * `SESSION_RESOLVED_OPTIONS` instead.
 *
 * @publicApi
 */
export const SESSION_MODULE_OPTIONS = definition.MODULE_OPTIONS_TOKEN;

/**
 * A `store` given to forRoot/forRootAsync, as the provider the store factory picks up. Anything
 * that is not a provider form is passed as a value, for the factory to check and refuse at boot.
 */
function storeProviders(store: SessionModuleExtras['store']): Provider[] {
  if (store === undefined) return [];
  if (isProviderForm(store)) return [{ provide: SESSION_STORE_PROVIDER, ...store } as Provider];
  return [{ provide: SESSION_STORE_PROVIDER, useValue: store }];
}

function isProviderForm(store: object): store is SessionStoreProvider {
  return (
    !(store instanceof SessionStore) &&
    ['useClass', 'useFactory', 'useExisting'].some((key) => key in store)
  );
}
