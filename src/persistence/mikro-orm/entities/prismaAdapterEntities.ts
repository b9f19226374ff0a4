import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import type { EntityOptions, KitEntities } from "./createEntities";
import { naturalKeyEntities, type NaturalKeyLayout } from "./naturalKeyEntities";

/** The PostgreSQL tables Prisma makes for the schema `@auth/prisma-adapter` documents (model names kept). */
const PRISMA: NaturalKeyLayout = {
  tables: { user: "User", account: "Account", session: "Session", verificationToken: "VerificationToken", authenticator: "Authenticator" },
  dialect: "postgresql",
  elsewhere: 'for the tables Prisma makes on MySQL or MariaDB pass prismaAdapterEntities({ provider: "mysql" })',
  // `DateTime`
  timestamp: "timestamp(3)",
  emailNullable: false,
  userForeignKey: (table) => `${table}_userId_fkey`,
  userUpdateRule: "cascade",
  // `@unique` makes `<Model>_<field>_key`, `@@index([field])` makes `<Model>_<field>_idx`.
  uniqueName: (table, column) => `${table}_${column}_key`,
  indexName: (table, column) => `${table}_${column}_idx`,
  // `createdAt DateTime @default(now())`, `updatedAt DateTime @updatedAt`: Prisma fills
  // `updatedAt` itself (the column has no default), so the kit writes both.
  bookkeeping: (timestamp) => ({
    createdAt: timestamp({ fieldName: "createdAt", hidden: true, defaultRaw: "CURRENT_TIMESTAMP", onCreate: () => new Date() }),
    updatedAt: timestamp({ fieldName: "updatedAt", hidden: true, onCreate: () => new Date(), onUpdate: () => new Date() }),
  }),
};

/**
 * The schema next-auth v4's Prisma adapter documented: `id` columns (cuids) keying `Account` and
 * `Session`, unique keys where the later schema has primary keys, a nullable `email`, and no
 * `createdAt`/`updatedAt`.
 */
const PRISMA_WITH_IDS: NaturalKeyLayout = { ...PRISMA, ids: true, emailNullable: true, bookkeeping: undefined };

/**
 * The same schemas on MySQL (`provider = "mysql"`, MariaDB too): `String` is `VARCHAR(191)`, the
 * OAuth tokens are `@db.Text` as the schema documents, `DateTime` is `DATETIME(3)`. InnoDB names
 * the index it makes for a foreign key after the key, so the `userId` indexes already exist.
 */
const MYSQL = {
  dialect: "mysql",
  elsewhere: "for the tables Prisma makes on PostgreSQL leave `provider` out",
  timestamp: "datetime(3)",
  stringLength: 191,
  wider: { refresh_token: "text", access_token: "text", id_token: "text" },
  indexName: (table: string, column: string) => (column === "userId" ? `${table}_userId_fkey` : `${table}_${column}_idx`),
} as const;
const PRISMA_MYSQL: NaturalKeyLayout = {
  ...PRISMA,
  ...MYSQL,
  bookkeeping: (timestamp) => ({
    createdAt: timestamp({ fieldName: "createdAt", hidden: true, defaultRaw: "CURRENT_TIMESTAMP(3)", onCreate: () => new Date() }),
    updatedAt: timestamp({ fieldName: "updatedAt", hidden: true, onCreate: () => new Date(), onUpdate: () => new Date() }),
  }),
};
const PRISMA_MYSQL_WITH_IDS: NaturalKeyLayout = { ...PRISMA_WITH_IDS, ...MYSQL };

/** `relationMode = "prisma"`: no foreign keys, and the `@@index([userId])` Prisma asks for in their place. */
const withoutForeignKeys = (layout: NaturalKeyLayout): NaturalKeyLayout => ({ ...layout, noForeignKeys: true, indexName: (table, column) => `${table}_${column}_idx` });

export interface PrismaEntityOptions extends EntityOptions {
  /** True for the tables of next-auth v4's Prisma schema (`id` columns on `Account` and `Session`). */
  ids?: boolean;
  /** The schema's datasource `provider`: `"postgresql"` (the default) or `"mysql"` (MySQL and MariaDB). */
  provider?: "postgresql" | "mysql";
  /** The schema's `relationMode`: `"foreignKeys"` (the default) or `"prisma"` (no foreign keys, as on PlanetScale). */
  relationMode?: "foreignKeys" | "prisma";
}

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
 * `VerificationToken` (named as Prisma names them, so doctor is satisfied once Prisma made them).
 * With `ids: true`, the tables of next-auth v4's Prisma schema instead; with `provider: "mysql"`,
 * the same schemas on MySQL and MariaDB; with `relationMode: "prisma"`, tables without foreign keys
 * (the kit refuses a preset for another database than the one it opens). Options as for
 * `createEntities`.
 */
export function prismaAdapterEntities(options: PrismaEntityOptions = {}): KitEntities {
  const { ids = false, provider = "postgresql", relationMode = "foreignKeys", ...entityOptions } = options;
  if (ids !== true && ids !== false) throw new AdapterError(ErrorCode.CONFIGURATION, "prismaAdapterEntities: ids must be true or false");
  if (provider !== "postgresql" && provider !== "mysql") throw new AdapterError(ErrorCode.CONFIGURATION, 'prismaAdapterEntities: provider must be "postgresql" or "mysql"');
  if (relationMode !== "foreignKeys" && relationMode !== "prisma") throw new AdapterError(ErrorCode.CONFIGURATION, 'prismaAdapterEntities: relationMode must be "foreignKeys" or "prisma"');
  const layouts = { postgresql: [PRISMA, PRISMA_WITH_IDS], mysql: [PRISMA_MYSQL, PRISMA_MYSQL_WITH_IDS] } as const;
  const layout = layouts[provider][ids ? 1 : 0];
  return naturalKeyEntities(entityOptions, relationMode === "prisma" ? withoutForeignKeys(layout) : layout);
}
