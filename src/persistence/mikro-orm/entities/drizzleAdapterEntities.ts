import type { EntityOptions, KitEntities } from "./createEntities";
import { naturalKeyEntities, type NaturalKeyLayout } from "./naturalKeyEntities";

/** `@auth/drizzle-adapter`'s PostgreSQL tables, as drizzle-kit makes them from `defineTables()`. */
const DRIZZLE: NaturalKeyLayout = {
  tables: { user: "user", account: "account", session: "session", verificationToken: "verificationToken", authenticator: "authenticator" },
  dialect: "postgresql",
  elsewhere: "the kit has a preset for @auth/drizzle-adapter's PostgreSQL tables only",
  // `timestamp(..., { mode: "date" })`
  timestamp: "timestamp(6)",
  emailNullable: true,
  userForeignKey: (table) => `${table}_userId_user_id_fk`,
  userUpdateRule: "no action",
  // drizzle-kit's `<table>_<column>_unique` is MikroORM's own name; the indexes are the kit's.
  uniqueName: () => true,
  indexName: () => true,
};

/**
 * The kit's entities on the tables `@auth/drizzle-adapter` makes on PostgreSQL (`user`,
 * `account`, `session`, `verificationToken`, `authenticator`; camelCase columns, `text` ids; an
 * account keyed by provider and account id, a session by its token), so a team moving from that
 * adapter keeps its users, sessions, accounts and pending e-mail links:
 *
 * ```ts
 * createAdapterKit({ database: process.env.DATABASE_URL, entities: drizzleAdapterEntities(), acceptRawSessionTokens: true });
 * ```
 *
 * Columns are declared as Drizzle declares them, so `kit.synchronize()` changes no column: it adds
 * indexes on the `"userId"` columns and on the `expires` columns. Timestamps there have no zone
 * and hold UTC, as Drizzle writes them, whatever the process's zone. PostgreSQL only. Options as
 * for `createEntities`; `tables` follows Drizzle's own renames.
 */
export function drizzleAdapterEntities(options: EntityOptions = {}): KitEntities {
  return naturalKeyEntities(options, DRIZZLE);
}
