import { Injectable, Module, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { SessionOptionsError } from './errors/session-options.error';
import type { ResolvedSessionOptions } from './options/resolved-session-options.interface';
import type { SessionModuleOptions } from './options/session-module-options.interface';
import { SESSION_RESOLVED_OPTIONS } from './session.constants';
import { SessionModule } from './session.module';
import { SessionService } from './session.service';
import { InMemorySessionStore } from './store/memory/in-memory-session.store';
import { SessionStore } from './store/session.store';

@Injectable()
class ConfigService {
  private readonly values: Record<string, number> = { SESSION_IDLE_TIMEOUT: 600 };
  get(key: string): number {
    return this.values[key];
  }
}

@Module({ providers: [ConfigService], exports: [ConfigService] })
class ConfigModule {}

/** Options shared by the cases: an in-memory store (no database) and no log lines. */
const base = (store: SessionStore): SessionModuleOptions => ({ store, logEvents: false });

@Injectable()
class SessionConfig {
  static readonly store = new InMemorySessionStore();
  calls = 0;
  constructor(private readonly config: ConfigService) {}
  createSessionOptions(): SessionModuleOptions {
    this.calls += 1;
    return { ...base(SessionConfig.store), idleTimeout: this.config.get('SESSION_IDLE_TIMEOUT') };
  }
}

@Module({ imports: [ConfigModule], providers: [SessionConfig], exports: [SessionConfig] })
class SessionConfigModule {}

/** A module that uses SessionService without importing SessionModule. */
@Injectable()
class FeatureService {
  constructor(readonly sessions: SessionService) {}
}
@Module({ providers: [FeatureService] })
class FeatureModule {}

describe('SessionModule', () => {
  let moduleRef: TestingModule | undefined;
  const boot = async (imports: (Type | ReturnType<typeof SessionModule.forRoot>)[]) => {
    moduleRef = await Test.createTestingModule({ imports }).compile();
    await moduleRef.init();
    return moduleRef;
  };
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  /** The module works end to end: a created session validates, in the store it was given. */
  async function expectWorking(ref: TestingModule, store: SessionStore): Promise<void> {
    expect(ref.get(SessionStore)).toBe(store);
    const sessions = ref.get(SessionService);
    const { token, session } = await sessions.create('user-1', {});
    expect((await sessions.validate(token, {}))?.id).toBe(session.id);
  }
  const resolved = (ref: TestingModule) =>
    ref.get<ResolvedSessionOptions>(SESSION_RESOLVED_OPTIONS);

  it('forRoot with a store needs no database', async () => {
    const store = new InMemorySessionStore();
    const ref = await boot([SessionModule.forRoot({ ...base(store), idleTimeout: 900 })]);
    await expectWorking(ref, store);
    expect(resolved(ref).idleTimeoutMs).toBe(900_000);
  });

  it('forRootAsync useFactory gets its inject from the imported module', async () => {
    const store = new InMemorySessionStore();
    const ref = await boot([
      SessionModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          ...base(store),
          idleTimeout: config.get('SESSION_IDLE_TIMEOUT'),
        }),
      }),
    ]);
    await expectWorking(ref, store);
    expect(resolved(ref).idleTimeoutMs).toBe(600_000);
  });

  it('forRootAsync useFactory may be async', async () => {
    const store = new InMemorySessionStore();
    const ref = await boot([
      SessionModule.forRootAsync({
        useFactory: async () => ({ ...base(store), idleTimeout: 120 }),
      }),
    ]);
    expect(resolved(ref).idleTimeoutMs).toBe(120_000);
  });

  it('forRootAsync useClass builds the options factory with dependencies from imports', async () => {
    const ref = await boot([
      SessionModule.forRootAsync({ imports: [ConfigModule], useClass: SessionConfig }),
    ]);
    await expectWorking(ref, SessionConfig.store);
    expect(resolved(ref).idleTimeoutMs).toBe(600_000);
  });

  it('forRootAsync useExisting reuses the provider the imported module exports', async () => {
    const ref = await boot([
      SessionConfigModule,
      SessionModule.forRootAsync({ imports: [SessionConfigModule], useExisting: SessionConfig }),
    ]);
    await expectWorking(ref, SessionConfig.store);
    expect(ref.get(SessionConfig).calls).toBe(1);
  });

  describe('store given as a provider', () => {
    @Injectable()
    class ClassStore extends InMemorySessionStore {}
    const STORE_CLIENT = Symbol('STORE_CLIENT');
    @Module({
      providers: [{ provide: STORE_CLIENT, useValue: new InMemorySessionStore() }],
      exports: [STORE_CLIENT],
    })
    class StoreClientModule {}

    it('forRoot({ store: { useClass } }) builds the store through DI', async () => {
      const ref = await boot([
        SessionModule.forRoot({ logEvents: false, store: { useClass: ClassStore } }),
      ]);
      expect(ref.get(SessionStore)).toBeInstanceOf(ClassStore);
    });

    it('forRootAsync({ useFactory, store: { useFactory, inject } }) injects what the store needs', async () => {
      const ref = await boot([
        StoreClientModule,
        SessionModule.forRootAsync({
          imports: [StoreClientModule],
          useFactory: () => ({ logEvents: false }),
          store: { inject: [STORE_CLIENT], useFactory: (store: SessionStore) => store },
        }),
      ]);
      expect(ref.get(SessionStore)).toBe(ref.get(STORE_CLIENT));
    });

    it('refuses a provider form returned by the options factory, saying where it goes', async () => {
      const booting = boot([
        SessionModule.forRootAsync({ useFactory: () => ({ store: { useClass: ClassStore } }) }),
      ]);
      await expect(booting).rejects.toThrow(/beside useFactory in forRootAsync/);
    });
  });

  describe('isGlobal', () => {
    it.each([
      [
        'forRoot',
        () => SessionModule.forRoot({ ...base(new InMemorySessionStore()), isGlobal: true }),
      ],
      [
        'forRootAsync',
        () =>
          SessionModule.forRootAsync({
            isGlobal: true,
            useFactory: () => base(new InMemorySessionStore()),
          }),
      ],
    ])(
      '%s: a sibling module gets SessionService without importing SessionModule',
      async (_, mod) => {
        const ref = await boot([mod(), FeatureModule]);
        expect(ref.get(FeatureService).sessions).toBe(ref.get(SessionService));
      },
    );

    it('without it, the sibling module cannot resolve SessionService', async () => {
      const mod = SessionModule.forRootAsync({
        useFactory: () => base(new InMemorySessionStore()),
      });
      await expect(boot([mod, FeatureModule])).rejects.toThrow(/SessionService/);
    });
  });

  describe('configuration errors fail the boot', () => {
    it.each<[string, () => ReturnType<typeof SessionModule.forRoot>]>([
      [
        'idleTimeout',
        () => SessionModule.forRoot({ ...base(new InMemorySessionStore()), idleTimeout: -1 }),
      ],
      [
        'cookie.sameSite',
        () =>
          SessionModule.forRootAsync({
            useFactory: () =>
              ({
                ...base(new InMemorySessionStore()),
                cookie: { sameSite: 'Lax' },
              }) as unknown as SessionModuleOptions,
          }),
      ],
      ['store', () => SessionModule.forRoot({ store: {} as SessionStore })],
    ])('a wrong %s throws a SessionOptionsError naming it', async (option, mod) => {
      const booting = boot([mod()]);
      await expect(booting).rejects.toThrow(SessionOptionsError);
      await expect(booting).rejects.toThrow(`"${option}"`);
    });

    it.each([
      [{}, '"default"'],
      [{ dataSourceName: 'sessions' }, '"sessions"'],
    ])(
      'without a store or a DataSource (%j), init fails naming dataSourceName',
      async (options, name) => {
        moduleRef = await Test.createTestingModule({
          imports: [SessionModule.forRoot({ ...options, logEvents: false })],
        }).compile();
        const init = moduleRef.init();
        await expect(init).rejects.toThrow(SessionOptionsError);
        await expect(init).rejects.toThrow(/"dataSourceName".*received/);
        await expect(init).rejects.toThrow(name);
        moduleRef = undefined;
      },
    );
  });
});
