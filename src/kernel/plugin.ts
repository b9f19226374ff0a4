import { EventEmitter } from "node:events";
import type { OperationContext, OperationName } from "./operations";

/** Where built-in plugins sit; lower runs outer. User plugins default to `PluginOrder.DEFAULT`. */
export const PluginOrder = {
  /** Outermost: times everything, including the other plugins. */
  METRICS: 100,
  /** Sees every call and its outcome, cache hits included. */
  LOGGING: 200,
  /** Answers session reads before they reach the hashing plugin and the store. */
  SESSION_CACHE: 300,
  /** Team plugins, unless they say otherwise. */
  DEFAULT: 500,
  /** Innermost: only the store ever sees the hashed form of a token. */
  HASHING: 900,
} as const;

/** A middleware around operations: an onion layer like koa-compose's. */
export interface AdapterPlugin {
  /** A short name for logs and errors. */
  readonly name: string;
  /** Position in the onion: lower wraps outer. Ties keep registration order. */
  readonly order?: number;
  /** The operations this plugin wraps; omitted or `"*"` means all of them. */
  readonly operations?: readonly OperationName[] | "*";
  /** Runs around one call; call `next()` to go inward, return (or throw) to go back out. */
  around(ctx: OperationContext, next: () => Promise<unknown>): Promise<unknown>;
  /**
   * Called once, when the kit starts serving (its first call; for a plugin added later, the first
   * call after `use`): open connections and subscribe to kit events here, not in a constructor.
   */
  setup?(host: PluginHost): void;
  /** Called by `kit.close()`, only if `setup` ran: release what `setup` opened. */
  close?(): Promise<void> | void;
  /** For `kit.health()`: the state of a service the plugin owns (the session cache's Redis). */
  health?(): Promise<PluginHealth>;
}

/** What a plugin's `health()` reports: which service, and whether it answered. */
export interface PluginHealth {
  /** The service: `"redis"` is reported as `kit.health().redis`. */
  readonly service: "redis";
  readonly state: "up" | "down";
  /** Why it is down, in a few words (never a URL or a password). */
  readonly reason?: string;
}

/** Kit events plugins can emit and listen to (e.g. the cache reports hits to the metrics plugin). */
export interface KitEvents {
  /**
   * A session-cache lookup: answered from the cache, missed, bypassed (cache not trusted), or
   * rejected (a Redis entry failed its MAC check: forged or altered; the database answered).
   */
  "cache.request": { operation: OperationName; result: "hit" | "miss" | "bypass" | "rejected" };
  /** A hot read with read replicas configured: answered by a replica, or by the primary and why. */
  "replica.read": { target: "replica" | "primary"; reason: ReplicaReadReason };
  /** A replica is skipped (and why), or used again: reported once per change. */
  "replica.state": { replica: string; state: "in-use" } | { replica: string; state: "skipped"; reason: ReplicaSkipReason; lagMs?: number };
  /** Said once, at the first replica read: what replica reads guarantee in this deployment. */
  "replica.notice": { message: string; crossInstance: "broadcast" | "lag-bound" };
  /**
   * A write committed through this instance: a replica must have replayed `lsn` to show the rows of
   * `userIds` (or of anyone, `"all"`). No `lsn`: the outcome is unknown (the connection broke).
   */
  "replica.write": { userIds: readonly string[] | "all"; lsn?: string; created?: boolean; buckets?: readonly number[] };
  /**
   * The same for a write made through another instance, as the sessionCache broadcast delivered it.
   * `created`: the write made rows findable by a new key (a new session, user, account, passkey, or
   * a changed e-mail), so a replica's "not found" is only believed past `lsn`; with `buckets`, only
   * for lookup keys in those buckets (12-bit numbers from a hash of the stored key, never a key).
   */
  "replica.fence": { userIds: readonly string[] | "all"; lsn?: string; created?: boolean; buckets?: readonly number[] };
  /**
   * A plugin (sessionCache with Redis) carries `replica.write` to every instance as `replica.fence`;
   * `active: false` while its channel is not trusted (writes elsewhere may go unheard).
   */
  "replica.broadcast": { active: boolean };
  /** The kit closed and reopened its whole database pool (only ever because the ORM reported it closed). */
  "database.rebuild": { reason: "pool_closed" };
}

/** Why a hot read went to the primary although replicas are configured. */
export type ReplicaReadReason = "replica" | "no-usable-replica" | "miss" | "fenced" | "replica-failed" | "broadcast-untrusted";

/** Why a replica is skipped: unreachable, refusing the kit's credentials, too far behind, or not in recovery. */
export type ReplicaSkipReason = "down" | "refused" | "lagging" | "not-a-replica";

/** What a plugin gets in `setup`. */
export interface PluginHost {
  emit<E extends keyof KitEvents>(event: E, payload: KitEvents[E]): void;
  on<E extends keyof KitEvents>(event: E, listener: (payload: KitEvents[E]) => void): void;
}

/** A typed event bus shared by the plugins of one kit. */
export class PluginEvents implements PluginHost {
  private readonly emitter = new EventEmitter();
  emit<E extends keyof KitEvents>(event: E, payload: KitEvents[E]): void {
    if (this.emitter.listenerCount(event) > 0) this.emitter.emit(event, payload);
  }
  on<E extends keyof KitEvents>(event: E, listener: (payload: KitEvents[E]) => void): void {
    this.emitter.on(event, listener);
  }
}

/**
 * @internal On a normalised plugin (the kit's copy with the declared name, order and operations):
 * the instance the app handed in, whose own `around` the composed chain calls directly (a call
 * through a bound copy or a forwarding closure costs a frame per layer per call).
 */
export const PLUGIN_INSTANCE = Symbol("nextauth-adapter-kit:plugin-instance");

/** True when `plugin` wraps `operation`. */
export function wraps(plugin: AdapterPlugin, operation: OperationName): boolean {
  const ops = plugin.operations;
  return ops === undefined || ops === "*" || ops.includes(operation);
}
