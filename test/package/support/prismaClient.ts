/**
 * A Prisma Client generated from the schema `@auth/prisma-adapter` documents, as an app has it:
 * `prisma generate` into a folder of its own (inside node_modules, so the generated code finds
 * `@prisma/client`'s runtime), with PostgreSQL reached through `@prisma/adapter-pg` and MySQL or
 * MariaDB through `@prisma/adapter-mariadb`. Prisma 7
 * needs no query engine; its CLI only looks for a schema engine, which generating never runs and
 * which cannot be downloaded here, hence PRISMA_SCHEMA_ENGINE_BINARY.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { AuthjsAdapter } from "../../../src";

export const PRISMA_MODELS = `
model User {
  id            String          @id @default(cuid())
  name          String?
  email         String          @unique
  emailVerified DateTime?
  image         String?
  accounts      Account[]
  sessions      Session[]
  Authenticator Authenticator[]
  createdAt     DateTime        @default(now())
  updatedAt     DateTime        @updatedAt
}

model Account {
  userId            String
  type              String
  provider          String
  providerAccountId String
  refresh_token     String?
  access_token      String?
  expires_at        Int?
  token_type        String?
  scope             String?
  id_token          String?
  session_state     String?
  createdAt         DateTime @default(now())
  updatedAt         DateTime @updatedAt
  user              User     @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@id([provider, providerAccountId])
}

model Session {
  sessionToken String   @unique
  userId       String
  expires      DateTime
  user         User     @relation(fields: [userId], references: [id], onDelete: Cascade)
  createdAt    DateTime @default(now())
  updatedAt    DateTime @updatedAt
}

model VerificationToken {
  identifier String
  token      String
  expires    DateTime

  @@id([identifier, token])
}

model Authenticator {
  credentialID         String  @unique
  userId               String
  providerAccountId    String
  credentialPublicKey  String
  counter              Int
  credentialDeviceType String
  credentialBackedUp   Boolean
  transports           String?
  user                 User    @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@id([userId, credentialID])
}
`;

/** The schema next-auth v4's Prisma adapter documented: `id` columns on Account and Session. */
export const PRISMA_MODELS_WITH_IDS = `
model Account {
  id                String  @id @default(cuid())
  userId            String
  type              String
  provider          String
  providerAccountId String
  refresh_token     String? @db.Text
  access_token      String? @db.Text
  expires_at        Int?
  token_type        String?
  scope             String?
  id_token          String? @db.Text
  session_state     String?
  user              User    @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@unique([provider, providerAccountId])
}

model Session {
  id           String   @id @default(cuid())
  sessionToken String   @unique
  userId       String
  expires      DateTime
  user         User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}

model User {
  id            String    @id @default(cuid())
  name          String?
  email         String?   @unique
  emailVerified DateTime?
  image         String?
  accounts      Account[]
  sessions      Session[]
}

model VerificationToken {
  identifier String
  token      String   @unique
  expires    DateTime

  @@unique([identifier, token])
}
`;

/** What `prisma migrate` makes of those models on PostgreSQL (no Authenticator: that schema had none). */
export const PRISMA_LAYOUT_WITH_IDS = `
create table "Account" ("id" text not null, "userId" text not null, "type" text not null, "provider" text not null, "providerAccountId" text not null,
  "refresh_token" text, "access_token" text, "expires_at" integer, "token_type" text, "scope" text, "id_token" text, "session_state" text,
  constraint "Account_pkey" primary key ("id"));
create table "Session" ("id" text not null, "sessionToken" text not null, "userId" text not null, "expires" timestamp(3) not null,
  constraint "Session_pkey" primary key ("id"));
create table "User" ("id" text not null, "name" text, "email" text, "emailVerified" timestamp(3), "image" text, constraint "User_pkey" primary key ("id"));
create table "VerificationToken" ("identifier" text not null, "token" text not null, "expires" timestamp(3) not null);
create unique index "Account_provider_providerAccountId_key" on "Account"("provider", "providerAccountId");
create unique index "Session_sessionToken_key" on "Session"("sessionToken");
create unique index "User_email_key" on "User"("email");
create unique index "VerificationToken_token_key" on "VerificationToken"("token");
create unique index "VerificationToken_identifier_token_key" on "VerificationToken"("identifier", "token");
alter table "Account" add constraint "Account_userId_fkey" foreign key ("userId") references "User"("id") on delete cascade on update cascade;
alter table "Session" add constraint "Session_userId_fkey" foreign key ("userId") references "User"("id") on delete cascade on update cascade;`;

/** What `prisma migrate` makes of those models on PostgreSQL. */
export const PRISMA_LAYOUT = `
create table "User" ("id" text not null, "name" text, "email" text not null, "emailVerified" timestamp(3), "image" text,
  "createdAt" timestamp(3) not null default current_timestamp, "updatedAt" timestamp(3) not null, constraint "User_pkey" primary key ("id"));
create table "Account" ("userId" text not null, "type" text not null, "provider" text not null, "providerAccountId" text not null,
  "refresh_token" text, "access_token" text, "expires_at" integer, "token_type" text, "scope" text, "id_token" text, "session_state" text,
  "createdAt" timestamp(3) not null default current_timestamp, "updatedAt" timestamp(3) not null,
  constraint "Account_pkey" primary key ("provider", "providerAccountId"));
create table "Session" ("sessionToken" text not null, "userId" text not null, "expires" timestamp(3) not null,
  "createdAt" timestamp(3) not null default current_timestamp, "updatedAt" timestamp(3) not null);
create table "VerificationToken" ("identifier" text not null, "token" text not null, "expires" timestamp(3) not null,
  constraint "VerificationToken_pkey" primary key ("identifier", "token"));
create table "Authenticator" ("credentialID" text not null, "userId" text not null, "providerAccountId" text not null,
  "credentialPublicKey" text not null, "counter" integer not null, "credentialDeviceType" text not null, "credentialBackedUp" boolean not null,
  "transports" text, constraint "Authenticator_pkey" primary key ("userId", "credentialID"));
create unique index "User_email_key" on "User"("email");
create unique index "Session_sessionToken_key" on "Session"("sessionToken");
create unique index "Authenticator_credentialID_key" on "Authenticator"("credentialID");
alter table "Account" add constraint "Account_userId_fkey" foreign key ("userId") references "User"("id") on delete cascade on update cascade;
alter table "Session" add constraint "Session_userId_fkey" foreign key ("userId") references "User"("id") on delete cascade on update cascade;
alter table "Authenticator" add constraint "Authenticator_userId_fkey" foreign key ("userId") references "User"("id") on delete cascade on update cascade;`;

/** The indexes the kit asks for, as Prisma makes them for `@@index([userId])` and `@@index([expires])`. */
export const PRISMA_INDEXES = `
create index "Account_userId_idx" on "Account"("userId");
create index "Session_userId_idx" on "Session"("userId");
create index "Session_expires_idx" on "Session"("expires");
create index "VerificationToken_expires_idx" on "VerificationToken"("expires");`;

export interface GeneratedClient {
  /** `fn` with the old adapter, `PrismaAdapter(prisma)` on a PrismaClient on `url`, as the app made it. */
  withAdapter<T>(url: string, fn: (adapter: AuthjsAdapter) => Promise<T>): Promise<T>;
  remove(): void;
}

/** A Prisma Client for `models` on the datasource `provider`, generated into its own folder named by `name`. */
export async function generatePrismaClient(models = PRISMA_MODELS, name = "current", provider: "postgresql" | "mysql" = "postgresql"): Promise<GeneratedClient> {
  const root = join(__dirname, "..", "..", "..");
  const dir = join(root, "node_modules", ".kit-test-prisma", `${process.pid}-${name}`);
  mkdirSync(dir, { recursive: true });
  const schema = join(dir, "schema.prisma");
  writeFileSync(schema, `generator client {\n  provider = "prisma-client-js"\n  output   = "./client"\n}\n\ndatasource db {\n  provider = "${provider}"\n}\n${models}`);
  const cli = require.resolve("prisma/build/index.js");
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await promisify(execFile)(process.execPath, [cli, "generate", "--schema", schema], { cwd: dir, env, timeout: 120_000 });
    const { PrismaClient } = require(join(dir, "client")) as { PrismaClient: new (options: object) => { $disconnect(): Promise<void> } };
    const driverAdapter = (url: string): object => {
      if (provider === "mysql") return new (require("@prisma/adapter-mariadb") as { PrismaMariaDb: new (url: string) => object }).PrismaMariaDb(url.replace(/^mysql:/, "mariadb:"));
      return new (require("@prisma/adapter-pg") as { PrismaPg: new (options: object) => object }).PrismaPg({ connectionString: url });
    };
    const withAdapter = async <T>(url: string, fn: (adapter: AuthjsAdapter) => Promise<T>): Promise<T> => {
      const { PrismaAdapter } = await import("@auth/prisma-adapter");
      const client = new PrismaClient({ adapter: driverAdapter(url) });
      try {
        return await fn(PrismaAdapter(client as never) as unknown as AuthjsAdapter);
      } finally {
        await client.$disconnect();
      }
    };
    return { withAdapter, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
