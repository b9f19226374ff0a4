import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import { checkEntityOptions, ENTITY_NAMES, presetEntity, type EntityKey, type EntityOptions, type KitEntities } from "./createEntities";
import { EpochMillisType } from "./types/EpochMillisType";
import { UtcTimestampType } from "./types/UtcTimestampType";

/**
 * How one ORM lays out the tables Auth.js's adapter documentation gives (camelCase columns, `text`
 * ids, an account keyed by provider and account id, a session by its token, zone-less timestamps
 * holding UTC): what differs between Drizzle's and Prisma's is names and a few column details.
 */
export interface NaturalKeyLayout {
  readonly tables: Record<EntityKey, string>;
  /**
   * Where the ORM made the tables. PostgreSQL: `text` strings, zone-less timestamps read and written
   * as UTC text. MySQL: `varchar(stringLength)` strings (or as `wider` says), DATETIME or
   * TIMESTAMP, which the kit's UTC sessions already read and write as UTC. SQLite: `text` strings,
   * timestamps in `integer` milliseconds.
   */
  readonly dialect: "postgresql" | "mysql" | "sqlite";
  /** What to tell a team whose database is another one (the preset to use instead, or that there is none). */
  readonly elsewhere: string;
  /** The timestamp columns' declared type. */
  readonly timestamp: string;
  /** The `expires` columns' type, where it differs (Drizzle's MySQL `timestamp`, without fractions). */
  readonly expiresTimestamp?: string;
  /** MySQL: the length of a string column (Prisma's `String` is `VARCHAR(191)`). */
  readonly stringLength?: number;
  /** MySQL: account columns declared otherwise: `text` (Prisma's `@db.Text`) or another length. */
  readonly wider?: Readonly<Record<string, "text" | number>>;
  /**
   * No foreign keys: the ORM keeps relations itself (Prisma's `relationMode = "prisma"`, as on
   * PlanetScale). The kit's `deleteUser` deletes a user's rows explicitly either way.
   */
  readonly noForeignKeys?: boolean;
  /** Whether `email` may be null (Drizzle's) or not (Prisma's `String @unique`). */
  readonly emailNullable: boolean;
  /** The name of the foreign key from `table."userId"` to the user, and its ON UPDATE rule. */
  userForeignKey(table: string): string;
  readonly userUpdateRule: "cascade" | "no action";
  /** The names of the unique and plain indexes (a name, or true: MikroORM's `<table>_<column>_<kind>`). */
  uniqueName(table: string, column: string): string | true;
  indexName(table: string, column: string): string | true;
  /** Columns on users, accounts and sessions that are no part of a record (Prisma's `createdAt`, `updatedAt`). */
  readonly bookkeeping?: (timestamp: (extra?: object) => object) => Record<string, object>;
  /**
   * Accounts and sessions keyed by an `id` of their own, with unique keys on `(provider,
   * "providerAccountId")`, `"sessionToken"` and a verification token's `token` (the schema
   * next-auth v4's Prisma adapter documented).
   */
  readonly ids?: boolean;
}

const integer = (extra: object = {}) => ({ type: "integer", ...extra }) as const;

/** The layout each preset's entities were made for, to check against the database the kit opens. */
const LAYOUTS = new WeakMap<KitEntities, NaturalKeyLayout>();

/**
 * The error for entities made for another database's tables (a PostgreSQL preset on MySQL would
 * fail call by call, with "a value does not fit its column"); none when they fit. The MySQL layout
 * serves MariaDB too.
 */
export function layoutMismatch(entities: KitEntities, dialect: string): AdapterError | undefined {
  const layout = LAYOUTS.get(entities);
  if (!layout || layout.dialect === dialect || (layout.dialect === "mysql" && dialect === "mariadb")) return undefined;
  return new AdapterError(ErrorCode.CONFIGURATION, `the entities describe tables on ${NAMES[layout.dialect]}, and the database is ${NAMES[dialect] ?? dialect}: ${layout.elsewhere}`);
}

const NAMES: Record<string, string> = { postgresql: "PostgreSQL", mysql: "MySQL", mariadb: "MariaDB", sqlite: "SQLite" };

/** The kit's five entities on such a layout (`drizzleAdapterEntities`, `prismaAdapterEntities`). */
export function naturalKeyEntities(options: EntityOptions, layout: NaturalKeyLayout): KitEntities {
  checkEntityOptions(options);
  const schema = presetEntity(options, layout.tables);
  const table = (key: EntityKey) => options.tables?.[key] ?? layout.tables[key];
  const mysql = layout.dialect === "mysql";
  const text = (extra: object = {}) => (mysql ? { type: "string", length: layout.stringLength ?? 191, ...extra } : { type: "text", ...extra });
  /** An account column, as the layout declares it. */
  const tokenText = (name: string, extra: object = {}) => {
    const wider = layout.wider?.[name];
    return wider === undefined ? text(extra) : wider === "text" ? { type: "text", ...extra } : text({ length: wider, ...extra });
  };
  const timestampType = () => (layout.dialect === "postgresql" ? new UtcTimestampType() : layout.dialect === "sqlite" ? new EpochMillisType() : "datetime");
  const timestamp = (extra: object = {}) => ({ type: timestampType(), columnType: layout.timestamp, ...extra });
  const expires = (extra: object = {}) => timestamp({ ...(layout.expiresTimestamp && { columnType: layout.expiresTimestamp }), ...extra });
  const bookkeeping = layout.bookkeeping?.(timestamp) ?? {};
  /** `"userId" text NOT NULL` referencing the user, removed with it, under the layout's constraint name. */
  const userId = (key: EntityKey, index: boolean) => ({
    kind: "m:1",
    entity: () => ENTITY_NAMES.user,
    mapToPk: true,
    fieldName: "userId",
    columnType: mysql ? `varchar(${layout.stringLength ?? 191})` : "text",
    deleteRule: "cascade",
    updateRule: layout.userUpdateRule,
    ...(layout.noForeignKeys ? { createForeignKeyConstraint: false } : { foreignKeyName: layout.userForeignKey(table(key)) }),
    index: index && layout.indexName(table(key), "userId"),
  });

  const user = schema("user", {
    id: text({ primary: true }),
    name: text({ nullable: true }),
    email: text({ nullable: layout.emailNullable, unique: layout.uniqueName(table("user"), "email") }),
    emailVerified: timestamp({ nullable: true, fieldName: "emailVerified" }),
    image: text({ nullable: true }),
    ...bookkeeping,
  });

  const ids = layout.ids === true;
  const account = schema(
    "account",
    {
      ...(ids && { id: text({ primary: true }) }),
      userId: userId("account", true),
      type: text(),
      provider: text({ primary: !ids }),
      providerAccountId: text({ primary: !ids, fieldName: "providerAccountId" }),
      refresh_token: tokenText("refresh_token", { nullable: true }),
      access_token: tokenText("access_token", { nullable: true }),
      expires_at: integer({ nullable: true }),
      token_type: text({ nullable: true }),
      scope: text({ nullable: true }),
      id_token: tokenText("id_token", { nullable: true }),
      session_state: text({ nullable: true }),
      ...bookkeeping,
    },
    ids ? { uniques: [{ properties: ["provider", "providerAccountId"], name: layout.uniqueName(table("account"), "provider_providerAccountId") }] } : {},
  );

  const session = schema("session", {
    ...(ids && { id: text({ primary: true }) }),
    sessionToken: ids ? text({ unique: layout.uniqueName(table("session"), "sessionToken"), fieldName: "sessionToken" }) : text({ primary: true, fieldName: "sessionToken" }),
    userId: userId("session", true),
    expires: expires({ index: layout.indexName(table("session"), "expires") }),
    ...bookkeeping,
  });

  const verificationToken = schema("verificationToken", {
    identifier: text({ primary: true }),
    token: text({ primary: true, ...(ids && { unique: layout.uniqueName(table("verificationToken"), "token") }) }),
    expires: expires({ index: layout.indexName(table("verificationToken"), "expires") }),
  });

  // The key is ("userId", "credentialID"), in that order; its first column serves lookups by user.
  const authenticator = schema("authenticator", {
    userId: { ...userId("authenticator", false), primary: true },
    credentialID: text({ primary: true, unique: layout.uniqueName(table("authenticator"), "credentialID"), fieldName: "credentialID" }),
    providerAccountId: text({ fieldName: "providerAccountId" }),
    credentialPublicKey: text({ fieldName: "credentialPublicKey" }),
    counter: integer(),
    credentialDeviceType: text({ fieldName: "credentialDeviceType" }),
    credentialBackedUp: { type: "boolean", fieldName: "credentialBackedUp" },
    transports: text({ nullable: true }),
  });

  const entities = { user, account, session, verificationToken, authenticator } as unknown as KitEntities;
  LAYOUTS.set(entities, layout);
  return entities;
}
