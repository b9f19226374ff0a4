/**
 * Who takes back each raw connection a kit statement holds: the held set it came from
 * (HeldConnections) or knex's client directly (a pool the kit does not hold from, SQLite).
 */

/** Thrown (and classified) when the ORM's pool was closed: nothing to acquire from. */
export class PoolClosedError extends Error {
  override readonly name = "PoolClosedError";
}

/** Who takes a connection back: the held set it came from, or knex's client directly. */
export interface Owner {
  release(raw: object, broken: boolean): void;
}

/** The owner of each connection a kit call holds (looked up on release: the pool may have been replaced since). */
export const owners = new WeakMap<object, Owner>();

/** Hands `raw` back to whoever gave it out; a second release of the same connection does nothing. */
export function releaseConnection(raw: object, broken: boolean): void {
  owners.get(raw)?.release(raw, broken);
}

/** Records a connection acquired from knex directly (a pool the kit does not hold from). */
export function ownedByClient(raw: object, client: { releaseConnection(connection: never): Promise<void> }): void {
  owners.set(raw, {
    release(connection, broken) {
      owners.delete(connection);
      // knex's pool validates a connection before handing it out again and destroys one marked
      // disposed: a broken client is replaced by a fresh one, the rest of the pool is untouched.
      if (broken) (connection as { __knex__disposed?: unknown }).__knex__disposed ??= DROPPED;
      void client.releaseConnection(connection as never);
    },
  });
}

/** What a connection the kit dropped after a failure is marked with (knex logs it when it destroys the connection). */
export const DROPPED = "dropped by nextauth-adapter-kit after a connection failure";
