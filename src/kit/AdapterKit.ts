import { Container } from "inversify";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { createAuthjsAdapter, type AuthjsAdapter } from "../facades/authjs/createAuthjsAdapter";
import { createLegacyAdapter, type LegacyAdapter } from "../facades/legacy/createLegacyAdapter";
import { declaredOperation } from "../kernel/decorators";
import { operationId, TYPES } from "../kernel/identifiers";
import type { ArgsOf, OperationName, ResultOf } from "../kernel/operations";
import { Pipeline } from "../kernel/Pipeline";
import { PluginEvents, type AdapterPlugin } from "../kernel/plugin";
import { checkHealth, type HealthOptions, type KitHealth } from "../health";
import type { SessionTokenHasher } from "../kernel/sessionTokens";
import { hashSessionTokens, type HashSessionTokensResult } from "./atRest/hashSessionTokens";
import { reencryptAccountTokens, type AccountReencrypter, type ReencryptResult } from "./atRest/reencryptAccountTokens";
import type { BatchJobOptions } from "./atRest/runBatches";
import { isOperationName, OPERATION_NAMES, OPERATION_REGISTRY } from "../operations/registry";
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

  constructor(
    stores: "mikro-orm" | "memory",
    private readonly connection: OrmConnection | undefined,
    private readonly sessionTokens?: SessionTokenHasher,
  ) {
    this.container = new Container({ defaultScope: "Singleton" });
    if (connection) this.container.bind(TYPES.OrmConnection).toConstantValue(connection);
    // Read replicas report through the kit events and take other instances' write fences from them.
    connection?.replication.attach(this.events);
    bindDefaultStores(this.container, stores);
    for (const name of OPERATION_NAMES) {
      this.container.bind(operationId(name)).to(OPERATION_REGISTRY[name].implementation).inTransientScope();
    }
    this.pipeline = new Pipeline(this.container, () => this.activePlugins(), OPERATION_REGISTRY, sessionTokens);
    this.authjs = createAuthjsAdapter(this.pipeline, OPERATION_REGISTRY);
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
    this.container.rebindSync(operationId(name)).to(cls).inTransientScope();
    return this.reload();
  }

  /**
   * Adds a plugin (an object, or a class decorated with `@Plugin`), at any time: the next call of
   * each operation composes it in. CONFIGURATION when the plugin names an operation that does not
   * exist, or when this plugin object was already added here or to another kit.
   */
  use(plugin: PluginInput): this {
    bindPlugin(this.container, plugin, this);
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
   * names applied; `{ down: true, confirmDrop: true }` reverts the most recent one (never one whose tables the kit adopted). Needs `@mikro-orm/migrations`.
   */
  async migrate(options: MigrateOptions = {}): Promise<string[]> {
    if (!this.connection) throw new AdapterError(ErrorCode.CONFIGURATION, "kit.migrate(): the kit has no database (stores: \"memory\")");
    // MikroORM's Migrator creates a missing database on its own; the kit never does.
    await this.connection.assertDatabaseExists();
    return migrate(await this.connection.get(), options);
  }

  /** Deletes expired sessions and verification tokens in short batches; run it on a schedule. */
  purgeExpired(options?: PurgeOptions): Promise<PurgeResult> {
    return purgeExpired(this.container, options);
  }

  /**
   * Re-encrypts every account row under the current key of `plugin` (the `encryptAccountTokens`
   * plugin this kit uses) and encrypts plaintext ones, in bounded batches (`FOR UPDATE SKIP LOCKED`
   * on PostgreSQL). Resumable (`after`, `signal`, `onBatch`); a row that fails is counted, never fatal.
   */
  reencryptAccountTokens(plugin: AccountReencrypter, options?: BatchJobOptions): Promise<ReencryptResult> {
    return reencryptAccountTokens(this.container, plugin, options);
  }

  /**
   * Hashes session tokens stored raw before hashing was on (the one-off half of the migration;
   * see README "Hashed session tokens"). Same batches and resume options as the re-encryption.
   */
  hashSessionTokens(options?: BatchJobOptions): Promise<HashSessionTokensResult> {
    return hashSessionTokens(this.container, this.sessionTokens, options);
  }

  /**
   * For readiness probes: the database, its read replicas, Redis (through the plugins that own a
   * client) and the kit's pending migrations, each with its state and latency. Every probe has the
   * same deadline (`timeoutMs`, default 2000), so the call settles in time even when a service hangs.
   */
  health(options?: HealthOptions): Promise<KitHealth> {
    let plugins: AdapterPlugin[];
    try {
      this.activePlugins(); // sets up plugins not yet used, so their clients are the ones probed
      // The instances themselves: the pipeline's normalised copies carry `around` and `close` only.
      plugins = this.container.isBound(TYPES.Plugin) ? this.container.getAll<AdapterPlugin>(TYPES.Plugin) : [];
    } catch {
      plugins = []; // a plugin that cannot be built is a configuration error the first call reports
    }
    return checkHealth(this.connection, plugins, options);
  }

  /**
   * Closes what the kit opened: the plugins it set up (those that served at least one call) and
   * its ORM. A kit that never served opens nothing here. An ORM the app handed in stays open.
   */
  async close(): Promise<void> {
    const setUp = [...this.setUp];
    this.setUp.clear();
    this.reload();
    await Promise.allSettled(setUp.map(async (p) => p.close?.()));
    await this.connection?.close();
  }

  /** @internal The ordered plugin list (composed into each operation's chain); sets up new plugins. */
  activePlugins(): AdapterPlugin[] {
    this.plugins ??= collectPlugins(this.container, this.events, this.setUp);
    return this.plugins;
  }
}
