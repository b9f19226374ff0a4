import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import type { EntityOptions, KitEntities } from "./createEntities";
import { naturalKeyEntities, type NaturalKeyLayout } from "./naturalKeyEntities";

/** `@auth/drizzle-adapter`'s PostgreSQL tables, as drizzle-kit makes them from `defineTables()`. */
const DRIZZLE: NaturalKeyLayout = {
  tables: { user: "user", account: "account", session: "session", verificationToken: "verificationToken", authenticator: "authenticator" },
  dialect: "postgresql",
  elsewhere: 'for the tables @auth/drizzle-adapter makes on MySQL or MariaDB pass drizzleAdapterEntities({ dialect: "mysql" }), on SQLite { dialect: "sqlite" }',
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

/**
 * `@auth/drizzle-adapter`'s SQLite tables (`sqliteTable`): `text` columns, timestamps as `integer`
 * milliseconds (`mode: "timestamp_ms"`, as MikroORM stores dates there), booleans as `integer`.
 */
const DRIZZLE_SQLITE: NaturalKeyLayout = {
  ...DRIZZLE,
  dialect: "sqlite",
  elsewhere: "for the tables @auth/drizzle-adapter makes on PostgreSQL leave `dialect` out",
  timestamp: "integer",
  // SQLite keeps no name for a foreign key; MikroORM reads it under its own.
  userForeignKey: (table) => `${table}_userId_foreign`,
};

const LAYOUTS = { postgresql: DRIZZLE, mysql: DRIZZLE_MYSQL, sqlite: DRIZZLE_SQLITE } as const;

export interface DrizzleEntityOptions extends EntityOptions {
  /** drizzle-kit's `dialect` the tables were made with: `"postgresql"` (the default), `"mysql"` (MySQL and MariaDB) or `"sqlite"`. */
  dialect?: keyof typeof LAYOUTS;
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
 * and hold UTC, as Drizzle writes them, whatever the process's zone. With `dialect: "mysql"` or
 * `"sqlite"`, the tables it makes on MySQL and MariaDB, or on SQLite (the kit refuses a preset for another database than the one it
 * opens). Options as for `createEntities`; `tables` follows Drizzle's own renames.
 */
export function drizzleAdapterEntities(options: DrizzleEntityOptions = {}): KitEntities {
  const { dialect = "postgresql", ...entityOptions } = options;
  if (!Object.hasOwn(LAYOUTS, dialect)) throw new AdapterError(ErrorCode.CONFIGURATION, 'drizzleAdapterEntities: dialect must be "postgresql", "mysql" or "sqlite"');
  return naturalKeyEntities(entityOptions, LAYOUTS[dialect]);
}
