/** nextauth-adapter-kit: one pluggable adapter for NextAuth v3, next-auth v4 and Auth.js v5. */
import "reflect-metadata";

export { createAdapterKit, type AdapterKitOptions } from "./kit/createAdapterKit";
export { AdapterKit } from "./kit/AdapterKit";
export { Adapters, type SeedAdapter } from "./adapters";
export type { StoreName, StoreSet, StoreBinding } from "./kit/stores";
export type { PluginInput } from "./kit/plugins";

export { AdapterError, ErrorCode, type ErrorCode as AdapterErrorCode } from "./errors/AdapterError";
export { MAX_STRING_LENGTH } from "./validation/checks";

export { Operation, Plugin, type OperationDeclaration, type PluginDeclaration } from "./kernel/decorators";
/** Re-exported so custom operations inject stores with the kit's own copy of inversify. */
export { inject, injectable } from "inversify";
export { TYPES } from "./kernel/identifiers";
export {
  type AdapterOperation,
  type ArgsOf,
  type Facade,
  type OperationContext,
  type OperationName,
  type ResultOf,
} from "./kernel/operations";
export { PluginOrder, type AdapterPlugin, type KitEvents, type PluginHealth, type PluginHost } from "./kernel/plugin";
export { compose } from "./kernel/compose";

export * from "./operations";
export type { AccountStore, AuthenticatorStore, Colocated, SessionStore, UserStore, VerificationTokenStore } from "./persistence/ports";
export {
  createMemoryStores,
  MemoryAccountStore,
  MemoryAuthenticatorStore,
  MemoryDatabase,
  MemorySessionStore,
  MemoryUserStore,
  MemoryVerificationTokenStore,
} from "./persistence/memory";
export { createEntities, entityList, ENTITY_NAMES, type EntityOptions, type KitEntities } from "./persistence/mikro-orm/entities/createEntities";
export type { DatabaseOption, ReplicaOption, ReplicationOptions, TypeOrmStyleConfig, UrlWithReplicas } from "./persistence/mikro-orm/resolveDatabase";
export { nextAuthV3Entities, type NextAuthV3EntityOptions } from "./persistence/mikro-orm/entities/nextAuthV3Entities";
export { pgAdapterEntities } from "./persistence/mikro-orm/entities/pgAdapterEntities";
export { drizzleAdapterEntities, type DrizzleEntityOptions } from "./persistence/mikro-orm/entities/drizzleAdapterEntities";
export { prismaAdapterEntities, type PrismaEntityOptions } from "./persistence/mikro-orm/entities/prismaAdapterEntities";
export { KIT_MIGRATIONS_TABLE, kitMigrations, kitMigrationsConfig, type MigrateOptions, type MigrationPlatform } from "./persistence/mikro-orm/Migrations";
export type { PurgeOptions, PurgeProgress, PurgeResult } from "./kit/purgeExpired";
export type { HealthOptions, KitHealth, MigrationsHealth, ProbeResult, ReplicaProbe, ReplicasHealth } from "./health";
export type { BatchJobOptions } from "./kit/atRest/runBatches";
export type { AccountReencrypter, ReencryptResult, RowReencryption } from "./kit/atRest/reencryptAccountTokens";
export type { HashSessionTokensResult } from "./kit/atRest/hashSessionTokens";
export type { SessionTokenOptions } from "./kit/sessionTokenOptions";
export { HASHED_SESSION_TOKEN_PREFIX } from "./kernel/sessionTokens";
export { SessionManager, type ListSessionsOptions, type RevokeSessionsOptions } from "./kit/sessions";

export type { AuthjsAdapter } from "./facades/authjs/createAuthjsAdapter";
export type { LegacyAdapter } from "./facades/legacy/createLegacyAdapter";
export type { LegacyAppOptions } from "./facades/legacy/appOptions";
export type { LegacyEmailProvider, LegacyMethods, LegacyUser, LegacyVerificationRequest } from "./facades/legacy/legacyMethods";
export { legacyTokenHash } from "./facades/legacy/emailTokens";
export * from "./types";
