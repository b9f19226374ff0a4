/** The parts of knex's client and of its tarn pool that HeldConnections reads (knex 3, tarn 3). */

/** The part of knex's client this uses. */
export interface HeldClient<C> {
  pool?: unknown;
  config?: { pool?: { validate?: unknown; maxConnectionLifetimeMillis?: unknown } };
  connectionConfigProvider?: unknown;
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): Promise<void>;
  validateConnection(connection: C): unknown;
}

/** The part of tarn's pool (knex's) this reads: its bookkeeping arrays, limits and synchronous events. */
export interface TarnPool {
  used: unknown[];
  free: unknown[];
  pendingCreates: unknown[];
  pendingAcquires: unknown[];
  max: number;
  acquireTimeoutMillis: number;
  destroyed: boolean;
  release(resource: unknown): boolean;
  on(event: string, listener: (...args: never[]) => void): void;
  removeListener(event: string, listener: (...args: never[]) => void): void;
}

/** A pool with every field this reads: another tarn version without them is used through knex only. */
export function isTarn(pool: TarnPool): boolean {
  return (
    typeof pool.on === "function" &&
    Array.isArray(pool.used) &&
    Array.isArray(pool.free) &&
    Array.isArray(pool.pendingCreates) &&
    Array.isArray(pool.pendingAcquires) &&
    typeof pool.max === "number" &&
    typeof pool.acquireTimeoutMillis === "number"
  );
}

/** Tarn must validate each use itself when the app gave the pool a `validate` hook or its credentials expire. */
export function holdable(client: HeldClient<unknown>): boolean {
  return typeof client.config?.pool?.validate !== "function" && !client.connectionConfigProvider;
}
