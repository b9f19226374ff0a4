import { checkEntityOptions, ENTITY_NAMES, presetEntity, type EntityKey, type EntityOptions, type KitEntities } from "./createEntities";
import { UtcTimestampType } from "./types/UtcTimestampType";

/** The tables `@auth/drizzle-adapter`'s PostgreSQL schema (`defineTables`) declares. */
const DRIZZLE_TABLES: Record<EntityKey, string> = {
  user: "user",
  account: "account",
  session: "session",
  verificationToken: "verificationToken",
  authenticator: "authenticator",
};

const text = (extra: object = {}) => ({ type: "text", ...extra }) as const;
/** Drizzle's `timestamp(..., { mode: "date" })`: no zone in the column, UTC in the value. */
const timestamp = (extra: object = {}) => ({ type: new UtcTimestampType(), columnType: "timestamp(6)", ...extra }) as const;
/** `integer`, read as a number. */
const integer = (extra: object = {}) => ({ type: "integer", ...extra }) as const;

/**
 * `"userId" text NOT NULL REFERENCES "user"(id) ON DELETE cascade`, under Drizzle's constraint
 * name (`<table>_userId_user_id_fk`), so a schema diff sees the key it already has.
 */
const userId = (table: string) =>
  ({
    kind: "m:1",
    entity: () => ENTITY_NAMES.user,
    mapToPk: true,
    fieldName: "userId",
    columnType: "text",
    deleteRule: "cascade",
    updateRule: "no action",
    foreignKeyName: `${table}_userId_user_id_fk`,
    index: true,
  }) as const;

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
  checkEntityOptions(options);
  const schema = presetEntity(options, DRIZZLE_TABLES);
  const table = (key: EntityKey) => options.tables?.[key] ?? DRIZZLE_TABLES[key];

  const user = schema("user", {
    id: text({ primary: true }),
    name: text({ nullable: true }),
    email: text({ nullable: true, unique: true }),
    emailVerified: timestamp({ nullable: true, fieldName: "emailVerified" }),
    image: text({ nullable: true }),
  });

  const account = schema("account", {
    userId: userId(table("account")),
    type: text(),
    provider: text({ primary: true }),
    providerAccountId: text({ primary: true, fieldName: "providerAccountId" }),
    refresh_token: text({ nullable: true }),
    access_token: text({ nullable: true }),
    expires_at: integer({ nullable: true }),
    token_type: text({ nullable: true }),
    scope: text({ nullable: true }),
    id_token: text({ nullable: true }),
    session_state: text({ nullable: true }),
  });

  const session = schema("session", {
    sessionToken: text({ primary: true, fieldName: "sessionToken" }),
    userId: userId(table("session")),
    expires: timestamp({ index: true }),
  });

  const verificationToken = schema("verificationToken", {
    identifier: text({ primary: true }),
    token: text({ primary: true }),
    expires: timestamp({ index: true }),
  });

  // The key is ("userId", "credentialID"), in that order.
  const authenticator = schema("authenticator", {
    // The key's first column serves the lookups by user: no index of its own.
    userId: { ...userId(table("authenticator")), primary: true, index: false },
    credentialID: text({ primary: true, unique: true, fieldName: "credentialID" }),
    providerAccountId: text({ fieldName: "providerAccountId" }),
    credentialPublicKey: text({ fieldName: "credentialPublicKey" }),
    counter: integer(),
    credentialDeviceType: text({ fieldName: "credentialDeviceType" }),
    credentialBackedUp: { type: "boolean", fieldName: "credentialBackedUp" },
    transports: text({ nullable: true }),
  });

  return { user, account, session, verificationToken, authenticator } as unknown as KitEntities;
}
