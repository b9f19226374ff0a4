import { AdapterError, ErrorCode } from "../../../errors/AdapterError";
import type { EntityOptions, KitEntities } from "./createEntities";
import { naturalKeyEntities, type NaturalKeyLayout } from "./naturalKeyEntities";

/** The PostgreSQL tables Prisma makes for the schema `@auth/prisma-adapter` documents (model names kept). */
const PRISMA: NaturalKeyLayout = {
  tables: { user: "User", account: "Account", session: "Session", verificationToken: "VerificationToken", authenticator: "Authenticator" },
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

export interface PrismaEntityOptions extends EntityOptions {
  /** True for the tables of next-auth v4's Prisma schema (`id` columns on `Account` and `Session`). */
  ids?: boolean;
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
 * With `ids: true`, the tables of next-auth v4's Prisma schema instead. PostgreSQL only. Options
 * as for `createEntities`.
 */
export function prismaAdapterEntities(options: PrismaEntityOptions = {}): KitEntities {
  const { ids, ...entityOptions } = options;
  if (ids === undefined || ids === false) return naturalKeyEntities(entityOptions, PRISMA);
  if (ids !== true) throw new AdapterError(ErrorCode.CONFIGURATION, "prismaAdapterEntities: ids must be true or false");
  return naturalKeyEntities(entityOptions, PRISMA_WITH_IDS);
}
