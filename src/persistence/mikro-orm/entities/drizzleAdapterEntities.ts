import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import type { EntityOptions, KitEntities } from "./createEntities";
import { naturalKeyEntities, type NaturalKeyLayout } from "./naturalKeyEntities";

/** `@auth/drizzle-adapter`'s PostgreSQL tables, as drizzle-kit makes them from `defineTables()`. */
const DRIZZLE: NaturalKeyLayout = {
  tables: { user: "user", account: "account", session: "session", verificationToken: "verificationToken", authenticator: "authenticator" },
  dialect: "postgresql",
  elsewhere: 'for the tables @auth/drizzle-adapter makes on MySQL or MariaDB pass drizzleAdapterEntities({ dialect: "mysql" })',
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
 * `@auth/drizzle-adapter`'s MySQL tables (`mysqlTable`): `varchar(255)` strings (`id_token`
 * 2048), `timestamp` columns (`emailVerified` with milliseconds, `expires` without), which MySQL
 * converts by the session's zone: the kit's sessions are UTC. InnoDB named the index it made for
 * each `userId` foreign key after the key.
 */
const DRIZZLE_MYSQL: NaturalKeyLayout = {
  ...DRIZZLE,
  dialect: "mysql",
  elsewhere: "for the tables @auth/drizzle-adapter makes on PostgreSQL leave `dialect` out",
  timestamp: "timestamp(3)",
  expiresTimestamp: "timestamp",
  stringLength: 255,
  wider: { id_token: 2048 },
  indexName: (table, column) => (column === "userId" ? `${table}_userId_user_id_fk` : true),
};

export interface DrizzleEntityOptions extends EntityOptions {
  /** drizzle-kit's `dialect` the tables were made with: `"postgresql"` (the default) or `"mysql"` (MySQL and MariaDB). */
  dialect?: "postgresql" | "mysql";
}

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
 * and hold UTC, as Drizzle writes them, whatever the process's zone. With `dialect: "mysql"`, the
 * tables it makes on MySQL and MariaDB (the kit refuses a preset for another database than the one it
 * opens). Options as for `createEntities`; `tables` follows Drizzle's own renames.
 */
export function drizzleAdapterEntities(options: DrizzleEntityOptions = {}): KitEntities {
  const { dialect = "postgresql", ...entityOptions } = options;
  if (dialect !== "postgresql" && dialect !== "mysql") throw new AdapterError(ErrorCode.CONFIGURATION, 'drizzleAdapterEntities: dialect must be "postgresql" or "mysql"');
  return naturalKeyEntities(entityOptions, dialect === "mysql" ? DRIZZLE_MYSQL : DRIZZLE);
}
