import { checkEntityOptions, ENTITY_NAMES, presetEntity, type EntityKey, type EntityOptions, type KitEntities } from "./createEntities";
import { UtcTimestampType } from "./types/UtcTimestampType";

/** The tables Prisma makes for the models of `@auth/prisma-adapter`'s schema (model names kept). */
const PRISMA_TABLES: Record<EntityKey, string> = {
  user: "User",
  account: "Account",
  session: "Session",
  verificationToken: "VerificationToken",
  authenticator: "Authenticator",
};

const text = (extra: object = {}) => ({ type: "text", ...extra }) as const;
/** Prisma's `DateTime` on PostgreSQL: `TIMESTAMP(3)`, no zone, UTC in the value. */
const timestamp = (extra: object = {}) => ({ type: new UtcTimestampType(), columnType: "timestamp(3)", ...extra }) as const;
const integer = (extra: object = {}) => ({ type: "integer", ...extra }) as const;

/**
 * `createdAt DateTime @default(now())` and `updatedAt DateTime @updatedAt`: Prisma fills
 * `updatedAt` itself (the column has no default), so the kit writes both; never part of a record.
 */
const BOOKKEEPING = {
  createdAt: timestamp({ fieldName: "createdAt", hidden: true, defaultRaw: "CURRENT_TIMESTAMP", onCreate: () => new Date() }),
  updatedAt: timestamp({ fieldName: "updatedAt", hidden: true, onCreate: () => new Date(), onUpdate: () => new Date() }),
};

/**
 * `userId String` with `@relation(..., onDelete: Cascade)`, under Prisma's constraint name
 * (`<Model>_userId_fkey`, ON UPDATE CASCADE), and the index `@@index([userId])` makes.
 */
const userId = (table: string, index: string | boolean = `${table}_userId_idx`) =>
  ({
    kind: "m:1",
    entity: () => ENTITY_NAMES.user,
    mapToPk: true,
    fieldName: "userId",
    columnType: "text",
    deleteRule: "cascade",
    updateRule: "cascade",
    foreignKeyName: `${table}_userId_fkey`,
    index,
  }) as const;

/**
 * The kit's entities on the PostgreSQL tables Prisma makes for the schema `@auth/prisma-adapter`
 * documents (`User`, `Account`, `Session`, `VerificationToken`, `Authenticator`; camelCase
 * columns, `text` ids; an account keyed by provider and account id; a session by its unique
 * token; `TIMESTAMP(3)` without a zone holding UTC; `createdAt`/`updatedAt` on users, accounts and
 * sessions), so a team moving from that adapter keeps its users, sessions, accounts and pending
 * e-mail links:
 *
 * ```ts
 * createAdapterKit({ database: process.env.DATABASE_URL, entities: prismaAdapterEntities(), acceptRawSessionTokens: true });
 * ```
 *
 * The kit reads and writes those timestamps as UTC whatever the process's zone, and fills
 * `createdAt` and `updatedAt` as Prisma does. It wants indexes Prisma's schema does not declare:
 * `@@index([userId])` on `Account` and `Session`, `@@index([expires])` on `Session` and
 * `VerificationToken` (their names here are Prisma's, so doctor is satisfied once Prisma made them).
 * PostgreSQL only. Options as for `createEntities`.
 */
export function prismaAdapterEntities(options: EntityOptions = {}): KitEntities {
  checkEntityOptions(options);
  const schema = presetEntity(options, PRISMA_TABLES);
  const table = (key: EntityKey) => options.tables?.[key] ?? PRISMA_TABLES[key];

  const user = schema("user", {
    id: text({ primary: true }),
    name: text({ nullable: true }),
    email: text({ unique: `${table("user")}_email_key` }),
    emailVerified: timestamp({ nullable: true, fieldName: "emailVerified" }),
    image: text({ nullable: true }),
    ...BOOKKEEPING,
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
    ...BOOKKEEPING,
  });

  // Prisma gives the table no primary key, only a unique index on the token: that index is its key.
  const session = schema("session", {
    sessionToken: text({ primary: true, fieldName: "sessionToken" }),
    userId: userId(table("session")),
    expires: timestamp({ index: `${table("session")}_expires_idx` }),
    ...BOOKKEEPING,
  });

  const verificationToken = schema("verificationToken", {
    identifier: text({ primary: true }),
    token: text({ primary: true }),
    expires: timestamp({ index: `${table("verificationToken")}_expires_idx` }),
  });

  // The key is ("userId", "credentialID"), in that order; its first column serves lookups by user.
  const authenticator = schema("authenticator", {
    userId: { ...userId(table("authenticator"), false), primary: true },
    credentialID: text({ primary: true, unique: `${table("authenticator")}_credentialID_key`, fieldName: "credentialID" }),
    providerAccountId: text({ fieldName: "providerAccountId" }),
    credentialPublicKey: text({ fieldName: "credentialPublicKey" }),
    counter: integer(),
    credentialDeviceType: text({ fieldName: "credentialDeviceType" }),
    credentialBackedUp: { type: "boolean", fieldName: "credentialBackedUp" },
    transports: text({ nullable: true }),
  });

  return { user, account, session, verificationToken, authenticator } as unknown as KitEntities;
}
