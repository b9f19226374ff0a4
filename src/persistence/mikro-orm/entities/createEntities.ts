import { BigIntType, EntitySchema, type EntitySchemaProperty, type MikroORM } from "@mikro-orm/core";
import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import { LongTextType } from "./types/LongTextType";
import { SignatureCounterType } from "./types/SignatureCounterType";
import type { AdapterAccount, AdapterAuthenticator, AdapterSession, AdapterUser, VerificationToken } from "../../../types";

/** Entity names the kit's stores look up in the ORM's metadata. */
export const ENTITY_NAMES = {
  user: "AuthUser",
  account: "AuthAccount",
  session: "AuthSession",
  verificationToken: "AuthVerificationToken",
  authenticator: "AuthAuthenticator",
} as const;

export type EntityKey = keyof typeof ENTITY_NAMES;

/** Extra columns a team adds to an entity, in MikroORM's EntitySchema property syntax. */
export type ExtraProperties = Record<string, Partial<EntitySchemaProperty<unknown, unknown>> & { type: string }>;

export interface EntityOptions {
  /** A database schema (PostgreSQL) to put every table in. */
  schema?: string;
  /** Table names per entity; defaults: users, accounts, sessions, verification_tokens, authenticators. */
  tables?: Partial<Record<EntityKey, string>>;
  /** Extra properties per entity; they round-trip through the operations like the built-in ones. */
  properties?: Partial<Record<EntityKey, ExtraProperties>>;
}

const DEFAULT_TABLES: Record<EntityKey, string> = {
  user: "users",
  account: "accounts",
  session: "sessions",
  verificationToken: "verification_tokens",
  authenticator: "authenticators",
};

/** A plain SQL identifier: letters, digits and underscores, not starting with a digit, at most 63 characters (PostgreSQL's limit). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function checkIdentifier(what: string, name: unknown, where = "createEntities"): void {
  if (typeof name === "string" && IDENTIFIER.test(name)) return;
  // The name reaches SQL text (DDL, and queries MikroORM builds): refuse rather than quote it.
  throw new AdapterError(
    ErrorCode.CONFIGURATION,
    `${where}: the ${what} is not a plain identifier (letters, digits and underscores, not starting with a digit, at most 63 characters)`,
  );
}

/**
 * Checks every name in the options that becomes SQL text: the schema, the table names, and the
 * column names of extra properties (their property name, or `fieldName`/`fieldNames`).
 */
export function checkEntityOptions(options: EntityOptions): void {
  if (options === null || typeof options !== "object") throw new AdapterError(ErrorCode.CONFIGURATION, "createEntities: expected an options object");
  if (options.schema !== undefined) checkIdentifier("schema", options.schema);
  for (const [key, name] of Object.entries(options.tables ?? {})) if (name !== undefined) checkIdentifier(`table name for ${key}`, name);
  for (const [key, properties] of Object.entries(options.properties ?? {})) {
    for (const [property, definition] of Object.entries(properties ?? {})) {
      checkIdentifier(`name of an extra ${key} property`, property);
      const { fieldName, fieldNames } = (definition ?? {}) as { fieldName?: unknown; fieldNames?: unknown };
      if (fieldName !== undefined) checkIdentifier(`column name of ${key}.${property}`, fieldName);
      if (fieldNames !== undefined) {
        if (!Array.isArray(fieldNames)) checkIdentifier(`column name of ${key}.${property}`, fieldNames);
        else for (const name of fieldNames) checkIdentifier(`column name of ${key}.${property}`, name);
      }
    }
  }
}

/**
 * The entity builder of a preset for another project's tables (`nextAuthV3Entities`,
 * `pgAdapterEntities`): its default table names, the options' schema, renames and extra columns.
 * Typed loosely on purpose: such rows are not the records' shapes (the table maps between them).
 */
export function presetEntity(options: EntityOptions, tables: Record<EntityKey, string>) {
  return (key: EntityKey, properties: Record<string, object>, meta: object = {}) =>
    new EntitySchema({
      name: ENTITY_NAMES[key],
      tableName: options.tables?.[key] ?? tables[key],
      schema: options.schema,
      ...meta,
      properties: { ...properties, ...options.properties?.[key] },
    } as never);
}

/** A string primary key: Auth.js ids are strings, and a UUID column would throw on a malformed id. */
const STRING_ID = { type: "string", length: 255, primary: true } as const;

/** A user reference stored as its primary key value, removed with the user. */
const USER_REF = { kind: "m:1", entity: () => ENTITY_NAMES.user, mapToPk: true, deleteRule: "cascade", fieldName: "user_id", index: true } as const;

/**
 * Builds the kit's five EntitySchemas. Call it with options to rename tables, choose a schema or add
 * columns; pass the result as `entities` to `createAdapterKit` (or to your own `MikroORM.init`).
 */
export function createEntities(options: EntityOptions = {}) {
  checkEntityOptions(options);
  const table = (key: EntityKey) => options.tables?.[key] ?? DEFAULT_TABLES[key];
  const extra = (key: EntityKey) => (options.properties?.[key] ?? {}) as Record<string, never>;
  const common = (key: EntityKey) => ({ name: ENTITY_NAMES[key], tableName: table(key), schema: options.schema });

  const user = new EntitySchema<AdapterUser>({
    ...common("user"),
    properties: {
      id: STRING_ID,
      name: { type: LongTextType, nullable: true },
      email: { type: "string", length: 320, nullable: true, unique: true },
      emailVerified: { type: "datetime", nullable: true, length: 3 },
      image: { type: LongTextType, nullable: true },
      ...extra("user"),
    },
  });

  const account = new EntitySchema<AdapterAccount & { id: string }>({
    ...common("account"),
    uniques: [{ properties: ["provider", "providerAccountId"] }],
    properties: {
      id: STRING_ID,
      userId: USER_REF as never,
      type: { type: "string", length: 32 },
      provider: { type: "string", length: 255 },
      providerAccountId: { type: "string", length: 255 },
      refresh_token: { type: LongTextType, nullable: true },
      access_token: { type: LongTextType, nullable: true },
      // Seconds since the epoch; bigint so it survives 2038, read back as a JS number.
      expires_at: { type: new BigIntType("number"), nullable: true } as never,
      token_type: { type: "string", length: 255, nullable: true },
      scope: { type: LongTextType, nullable: true },
      id_token: { type: LongTextType, nullable: true },
      session_state: { type: LongTextType, nullable: true },
      ...extra("account"),
    },
  });

  const session = new EntitySchema<AdapterSession & { id: string }>({
    ...common("session"),
    properties: {
      id: STRING_ID,
      sessionToken: { type: "string", length: 255, unique: true },
      userId: USER_REF as never,
      expires: { type: "datetime", length: 3, index: true },
      accessToken: { type: "string", length: 255, nullable: true, unique: true },
      ...extra("session"),
    },
  });

  const verificationToken = new EntitySchema<VerificationToken>({
    ...common("verificationToken"),
    properties: {
      identifier: { type: "string", length: 320, primary: true },
      token: { type: "string", length: 255, primary: true },
      expires: { type: "datetime", length: 3, index: true },
      ...extra("verificationToken"),
    },
  });

  const authenticator = new EntitySchema<AdapterAuthenticator>({
    ...common("authenticator"),
    properties: {
      credentialID: { type: "string", length: 512, primary: true, fieldName: "credential_id" },
      userId: USER_REF as never,
      providerAccountId: { type: "string", length: 255 },
      credentialPublicKey: { type: LongTextType },
      counter: { type: SignatureCounterType },
      credentialDeviceType: { type: "string", length: 32 },
      credentialBackedUp: { type: "boolean" },
      transports: { type: "string", length: 255, nullable: true },
      ...extra("authenticator"),
    },
  });

  return { user, account, session, verificationToken, authenticator };
}

export type KitEntities = ReturnType<typeof createEntities>;

/** The entity list to hand to `MikroORM.init({ entities: [...yours, ...kitEntityList()] })`. */
export function entityList(entities: KitEntities = createEntities()): EntitySchema[] {
  return Object.values(entities) as EntitySchema[];
}

/** Refuses an ORM (an app's own) whose metadata lacks any of the kit's entities, saying what to add. */
export function assertKitEntities(orm: MikroORM): void {
  const missing = Object.values(ENTITY_NAMES).filter((name) => !orm.getMetadata().find(name));
  if (missing.length > 0) {
    throw new AdapterError(ErrorCode.CONFIGURATION, `the MikroORM instance lacks the kit's entities (${missing.join(", ")}): add ...entityList() to its "entities" option`);
  }
}
