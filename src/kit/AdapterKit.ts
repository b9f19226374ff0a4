import { Container } from "inversify";
import { HASH_PLUGIN_NAME, hashVerificationTokens } from "../../plugins/hash-verification-tokens";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { createAuthjsAdapter, type AuthjsAdapter } from "../facades/authjs/createAuthjsAdapter";
import { createLegacyAdapter, type LegacyAdapter } from "../facades/legacy/createLegacyAdapter";
import { declaredOperation } from "../kernel/decorators";
import { OPERATIONS, TYPES } from "../kernel/identifiers";
import { isOperationName, type ArgsOf, type OperationName, type ResultOf } from "../kernel/operations";
import { Pipeline } from "../kernel/Pipeline";
import { PluginEvents, type AdapterPlugin } from "../kernel/plugin";
import { DEFAULT_OPERATIONS } from "../operations";
import { migrate, type MigrateOptions } from "../persistence/mikro-orm/Migrations";
import type { OrmConnection } from "../persistence/mikro-orm/OrmConnection";
import { bindPlugin, collectPlugins, type PluginInput } from "./plugins";
import { purgeExpired, type PurgeOptions, type PurgeResult } from "./purgeExpired";
import { SessionManager } from "./sessions";
import { bindDefaultStores, bindStore, type StoreBinding, type StoreName, type StoreSet } from "./stores";

type OperationClass = new (...args: never[]) => unknown;

/**
 * One assembled adapter: the container, the pipeline, and a facade per consumer.
 * Build it with `createAdapterKit`; it connects on the first operation.
 */
export class AdapterKit {
  /** The inversify container, for teams that bind by hand (call `kit.reload()` after binding). */
  readonly container: Container;
  /** The modern `Adapter` for next-auth v4 and Auth.js (`@auth/core`) v5. */
  readonly authjs: AuthjsAdapter;
  /** The NextAuth v3 adapter: `{ getAdapter(appOptions) }`. */
  readonly legacy: LegacyAdapter;
  /** Kit events (cache hits, ...) shared by the plugins. */
  readonly events = new PluginEvents();
  /** Session management: `list(userId)`, `revoke(userId, { except })`. */
  readonly sessions: SessionManager;

  private readonly pipeline: Pipeline;
  private plugins: AdapterPlugin[] | undefined;
  /** Every plugin instance the kit has set up: `close()` closes these, whatever was reloaded since. */
  private readonly setUp = new Set<AdapterPlugin>();

  constructor(stores: "mikro-orm" | "memory", private readonly connection: OrmConnection | undefined) {
    this.container = new Container({ defaultScope: "Singleton" });
    if (connection) this.container.bind(TYPES.OrmConnection).toConstantValue(connection);
    bindDefaultStores(this.container, stores);
    for (const [name, implementation] of Object.entries(DEFAULT_OPERATIONS)) {
      this.container.bind(OPERATIONS[name as OperationName]).to(implementation).inTransientScope();
    }
    this.pipeline = new Pipeline(this.container, () => this.activePlugins());
    this.authjs = createAuthjsAdapter(this.pipeline);
    this.legacy = createLegacyAdapter(this.pipeline);
    this.sessions = new SessionManager((operation, args) => this.call(operation, args));
  }

  /** Runs one canonical operation through the plugins, as the facades do. */
  call<N extends OperationName>(operation: N, args: ArgsOf<N>): Promise<ResultOf<N>> {
    if (!isOperationName(operation)) return Promise.reject(new AdapterError(ErrorCode.INVALID_INPUT, `unknown operation "${String(operation)}"`));
    return this.pipeline.invoke(operation, args);
  }

  /**
   * Replaces one operation's implementation; the plugins still wrap it.
   * `kit.override("getUserByEmail", MyClass)` or, for a class decorated with `@Operation`, `kit.override(MyClass)`.
   */
  override(operation: OperationName | OperationClass, implementation?: OperationClass): this {
    const cls = typeof operation === "function" ? operation : implementation;
    const name = typeof operation === "function" ? declaredOperation(operation) : operation;
    if (!isOperationName(name)) throw new AdapterError(ErrorCode.CONFIGURATION, `override: unknown operation "${String(name)}"; decorate the class with @Operation("name") or pass the name`);
    if (typeof cls !== "function") throw new AdapterError(ErrorCode.CONFIGURATION, `override("${name}"): pass the implementing class`);
    this.container.rebindSync(OPERATIONS[name]).to(cls).inTransientScope();
    return this.reload();
  }

  /** Adds a plugin (an object, or a class decorated with `@Plugin`). */
  use(plugin: PluginInput): this {
    bindPlugin(this.container, plugin);
    return this.reload();
  }

  /** Swaps one store (users, accounts, sessions, verificationTokens, authenticators). */
  bindStore<K extends StoreName>(name: K, store: StoreBinding<StoreSet[K]>): this {
    bindStore(this.container, name, store, true);
    return this.reload();
  }

  /** Re-reads the container: call it after binding by hand through `kit.container`. */
  reload(): this {
    this.plugins = undefined;
    this.pipeline.reset();
    return this;
  }

  /** Creates the kit's tables where they are missing (development and tests; use migrations in production). */
  async synchronize(): Promise<void> {
    await this.connection?.synchronize();
  }

  /**
   * Applies the kit's shipped migrations (default tables, PostgreSQL or SQLite) and returns the
   * names applied; `{ down: true }` reverts the most recent one. Needs `@mikro-orm/migrations`.
   */
  async migrate(options: MigrateOptions = {}): Promise<string[]> {
    if (!this.connection) throw new AdapterError(ErrorCode.CONFIGURATION, "kit.migrate(): the kit has no database (stores: \"memory\")");
    return migrate(await this.connection.get(), options);
  }

  /** Deletes expired sessions and verification tokens in short batches; run it on a schedule. */
  purgeExpired(options?: PurgeOptions): Promise<PurgeResult> {
    return purgeExpired(this.container, options);
  }

  /** Closes what the kit opened (its ORM, its plugins' connections). An ORM the app handed in stays open. */
  async close(): Promise<void> {
    // Plugins bound but not yet used are collected now, so they too release what they hold.
    try {
      this.activePlugins();
    } catch {
      // A plugin that cannot even be built holds nothing to release.
    }
    await Promise.allSettled([...this.setUp].map((p) => p.close?.()));
    await this.connection?.close();
  }

  /** @internal The ordered plugin list (composed into each operation's chain). */
  activePlugins(): AdapterPlugin[] {
    if (!this.plugins) {
      const plugins = collectPlugins(this.container, this.events, this.setUp);
      // The v3 facade must hash e-mail tokens as v3 did; a team's own hashing plugin replaces this one.
      if (!plugins.some((p) => p.name === HASH_PLUGIN_NAME)) {
        bindPlugin(this.container, hashVerificationTokens());
        return this.activePlugins();
      }
      this.plugins = plugins;
    }
    return this.plugins;
  }
}
