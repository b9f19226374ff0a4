/**
 * The schema `@auth/prisma-adapter` documents, on MySQL (`provider = "mysql"`, MariaDB too): the
 * OAuth tokens `@db.Text`, as that schema has them for MySQL, where `String` is `VARCHAR(191)` and
 * an id token does not fit. And the tables `prisma migrate` makes of it.
 */
import { PRISMA_MODELS } from "./prismaClient";

export const PRISMA_MYSQL_MODELS = PRISMA_MODELS.replace(/^(\s+(?:refresh_token|access_token|id_token)\s+String\?)$/gm, "$1 @db.Text");

const TABLE_OPTIONS = "default character set utf8mb4 collate utf8mb4_unicode_ci";

/** What `prisma migrate` makes of those models on MySQL, one statement per entry. */
export const PRISMA_MYSQL_LAYOUT = [
  `create table \`User\` (\`id\` varchar(191) not null, \`name\` varchar(191) null, \`email\` varchar(191) not null, \`emailVerified\` datetime(3) null,
    \`image\` varchar(191) null, \`createdAt\` datetime(3) not null default current_timestamp(3), \`updatedAt\` datetime(3) not null,
    unique index \`User_email_key\`(\`email\`), primary key (\`id\`)) ${TABLE_OPTIONS}`,
  `create table \`Account\` (\`userId\` varchar(191) not null, \`type\` varchar(191) not null, \`provider\` varchar(191) not null,
    \`providerAccountId\` varchar(191) not null, \`refresh_token\` text null, \`access_token\` text null, \`expires_at\` integer null,
    \`token_type\` varchar(191) null, \`scope\` varchar(191) null, \`id_token\` text null, \`session_state\` varchar(191) null,
    \`createdAt\` datetime(3) not null default current_timestamp(3), \`updatedAt\` datetime(3) not null,
    primary key (\`provider\`, \`providerAccountId\`)) ${TABLE_OPTIONS}`,
  `create table \`Session\` (\`sessionToken\` varchar(191) not null, \`userId\` varchar(191) not null, \`expires\` datetime(3) not null,
    \`createdAt\` datetime(3) not null default current_timestamp(3), \`updatedAt\` datetime(3) not null,
    unique index \`Session_sessionToken_key\`(\`sessionToken\`)) ${TABLE_OPTIONS}`,
  `create table \`VerificationToken\` (\`identifier\` varchar(191) not null, \`token\` varchar(191) not null, \`expires\` datetime(3) not null,
    primary key (\`identifier\`, \`token\`)) ${TABLE_OPTIONS}`,
  `create table \`Authenticator\` (\`credentialID\` varchar(191) not null, \`userId\` varchar(191) not null, \`providerAccountId\` varchar(191) not null,
    \`credentialPublicKey\` varchar(191) not null, \`counter\` integer not null, \`credentialDeviceType\` varchar(191) not null,
    \`credentialBackedUp\` boolean not null, \`transports\` varchar(191) null,
    unique index \`Authenticator_credentialID_key\`(\`credentialID\`), primary key (\`userId\`, \`credentialID\`)) ${TABLE_OPTIONS}`,
  // InnoDB makes an index for each key below that no index covers yet, named after the key.
  "alter table `Account` add constraint `Account_userId_fkey` foreign key (`userId`) references `User`(`id`) on delete cascade on update cascade",
  "alter table `Session` add constraint `Session_userId_fkey` foreign key (`userId`) references `User`(`id`) on delete cascade on update cascade",
  "alter table `Authenticator` add constraint `Authenticator_userId_fkey` foreign key (`userId`) references `User`(`id`) on delete cascade on update cascade",
];

/** The indexes the kit asks for that MySQL does not make by itself, as Prisma makes them for `@@index([expires])`. */
export const PRISMA_MYSQL_INDEXES = [
  "create index `Session_expires_idx` on `Session`(`expires`)",
  "create index `VerificationToken_expires_idx` on `VerificationToken`(`expires`)",
];

/** What `prisma migrate` makes on MySQL of the schema next-auth v4's Prisma adapter documented (`PRISMA_MODELS_WITH_IDS`). */
export const PRISMA_MYSQL_LAYOUT_WITH_IDS = [
  `create table \`Account\` (\`id\` varchar(191) not null, \`userId\` varchar(191) not null, \`type\` varchar(191) not null, \`provider\` varchar(191) not null,
    \`providerAccountId\` varchar(191) not null, \`refresh_token\` text null, \`access_token\` text null, \`expires_at\` integer null,
    \`token_type\` varchar(191) null, \`scope\` varchar(191) null, \`id_token\` text null, \`session_state\` varchar(191) null,
    unique index \`Account_provider_providerAccountId_key\`(\`provider\`, \`providerAccountId\`), primary key (\`id\`)) ${TABLE_OPTIONS}`,
  `create table \`Session\` (\`id\` varchar(191) not null, \`sessionToken\` varchar(191) not null, \`userId\` varchar(191) not null, \`expires\` datetime(3) not null,
    unique index \`Session_sessionToken_key\`(\`sessionToken\`), primary key (\`id\`)) ${TABLE_OPTIONS}`,
  `create table \`User\` (\`id\` varchar(191) not null, \`name\` varchar(191) null, \`email\` varchar(191) null, \`emailVerified\` datetime(3) null,
    \`image\` varchar(191) null, unique index \`User_email_key\`(\`email\`), primary key (\`id\`)) ${TABLE_OPTIONS}`,
  `create table \`VerificationToken\` (\`identifier\` varchar(191) not null, \`token\` varchar(191) not null, \`expires\` datetime(3) not null,
    unique index \`VerificationToken_token_key\`(\`token\`), unique index \`VerificationToken_identifier_token_key\`(\`identifier\`, \`token\`)) ${TABLE_OPTIONS}`,
  "alter table `Account` add constraint `Account_userId_fkey` foreign key (`userId`) references `User`(`id`) on delete cascade on update cascade",
  "alter table `Session` add constraint `Session_userId_fkey` foreign key (`userId`) references `User`(`id`) on delete cascade on update cascade",
];

/** The same tables under `relationMode = "prisma"` (PlanetScale): no foreign keys, and the `@@index([userId])` Prisma asks for instead. */
export const PRISMA_MYSQL_LAYOUT_WITHOUT_FOREIGN_KEYS = [
  ...PRISMA_MYSQL_LAYOUT.filter((statement) => !statement.includes("foreign key")),
  "create index `Account_userId_idx` on `Account`(`userId`)",
  "create index `Session_userId_idx` on `Session`(`userId`)",
];
