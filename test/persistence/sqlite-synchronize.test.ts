/**
 * `synchronize` on SQLite is one transaction, as on PostgreSQL: a diff that fails halfway leaves the
 * schema as it was. A table rebuild (MikroORM's way of changing a SQLite column) runs with foreign
 * keys off, so dropping the old table deletes no referencing row, and is checked before the commit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { AdapterError, createAdapterKit, TYPES, type AdapterKit } from "../../src";
import type { Dialect } from "../../src/persistence/mikro-orm/dialects/Dialect";
import type { OrmConnection } from "../../src/persistence/mikro-orm/OrmConnection";

/** better-sqlite3 opened directly, to shape the file before the kit sees it (it ships no types). */
const Database: new (file: string) => {
  exec(sql: string): void;
  prepare(sql: string): { all(...values: unknown[]): Array<Record<string, unknown>> };
  close(): void;
} = require("better-sqlite3");

const USERS = "create table `users` (`id` text not null, `name` text null, `email` text null, `email_verified` datetime null, `image` text null, primary key (`id`))";
const ACCOUNTS =
  "create table `accounts` (`id` text not null, `user_id` text not null, `type` text not null, `provider` text not null, `provider_account_id` text not null, `refresh_token` text null, `access_token` text null, `expires_at` bigint null, `token_type` text null, `scope` text null, `id_token` text null, `session_state` text null, constraint `accounts_user_id_foreign` foreign key(`user_id`) references `users`(`id`) on delete cascade on update cascade, primary key (`id`))";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kit-sqlite-sync-"));
  file = join(dir, "auth.sqlite");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function inFile<T>(work: (sqlite: InstanceType<typeof Database>) => T): T {
  const sqlite = new Database(file);
  try {
    return work(sqlite);
  } finally {
    sqlite.close();
  }
}

const tables = () => inFile((sqlite) => sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all().map((row) => row.name));
const indexes = () => inFile((sqlite) => sqlite.prepare("select name from sqlite_master where type = 'index' and name not like 'sqlite_%' order by name").all().map((row) => row.name));

test("duplicate e-mails: synchronize names the key, never the e-mail, and leaves no table or index behind; once they are gone it completes", async () => {
  inFile((sqlite) => {
    sqlite.exec(USERS);
    sqlite.exec("insert into users (id, email) values ('u1', 'twice@example.com'), ('u2', 'twice@example.com')");
  });
  const kit = createAdapterKit({ database: `sqlite:${file}`, secret: "sqlite-synchronize-secret-0123456789" });
  try {
    const failure = await kit.synchronize().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AdapterError);
    expect(failure).toMatchObject({ code: "CONFLICT", message: expect.stringContaining('existing rows hold duplicate values where the unique key "users_email_unique" is added') });
    for (const shown of [inspect(failure, { depth: 10 }), JSON.stringify(failure)]) expect(shown).not.toContain("twice@");
    // The tables and indexes made before the failing index were rolled back with it.
    expect(tables()).toEqual(["users"]);
    expect(indexes()).toEqual([]);

    inFile((sqlite) => sqlite.exec("delete from users where id = 'u2'"));
    await kit.synchronize();
    expect(tables()).toEqual(["accounts", "authenticators", "sessions", "users", "verification_tokens"]);
    expect(indexes()).toContain("users_email_unique");
    // Foreign keys are enforced again: deleting the user takes its account with it.
    await kit.authjs.linkAccount({ userId: "u1", type: "oauth", provider: "github", providerAccountId: "77" });
    await kit.authjs.deleteUser!("u1");
    expect(await kit.authjs.getUserByAccount({ provider: "github", providerAccountId: "77" })).toBeNull();
    expect(inFile((sqlite) => sqlite.prepare("select count(*) as n from accounts").all())).toEqual([{ n: 0 }]);
  } finally {
    await kit.close();
  }
});

/** The dialect of an opened kit, to hand it a rebuild in the shape MikroORM writes one. */
async function dialectOf(kit: AdapterKit): Promise<Dialect> {
  await kit.authjs.getUser("warm-up");
  return (kit.container.get<OrmConnection>(TYPES.OrmConnection) as unknown as { dialect: Dialect }).dialect;
}

/** MikroORM's rebuild of `users` (SQLite cannot alter a column), copying the rows `where` selects. */
const rebuildUsers = (where: string) =>
  [
    "pragma foreign_keys = off;",
    USERS.replace("`users`", "`users__temp_alter`") + ";",
    `insert into \`users__temp_alter\` select * from \`users\` where ${where};`,
    "drop table `users`;",
    "alter table `users__temp_alter` rename to `users`;",
    "pragma foreign_keys = on;",
  ].join("\n");

test("a table rebuild keeps the rows that reference the table, and one that would orphan them is rolled back", async () => {
  inFile((sqlite) => {
    sqlite.exec(USERS);
    sqlite.exec(ACCOUNTS);
    sqlite.exec("insert into users (id, email) values ('u1', 'one@example.com'), ('u2', 'two@example.com')");
    sqlite.exec("insert into accounts (id, user_id, type, provider, provider_account_id) values ('a1', 'u1', 'oauth', 'github', '1'), ('a2', 'u2', 'oauth', 'github', '2')");
  });
  const kit = createAdapterKit({ database: `sqlite:${file}` });
  try {
    const dialect = await dialectOf(kit);
    const accounts = () => inFile((sqlite) => sqlite.prepare("select id from accounts order by id").all().map((row) => row.id));

    // Inside a transaction SQLite ignores `foreign_keys = off`: without turning them off first, the
    // DROP would delete both accounts through their cascade.
    await dialect.changeSchema!(rebuildUsers("1 = 1"));
    expect(accounts()).toEqual(["a1", "a2"]);

    const orphaning = await dialect.changeSchema!(rebuildUsers("id = 'u1'")).catch((e: unknown) => e);
    expect(orphaning).toMatchObject({ failure: { kind: "foreign_key_violation" } });
    expect(inFile((sqlite) => sqlite.prepare("select id from users order by id").all().map((row) => row.id))).toEqual(["u1", "u2"]);
    expect(tables()).toEqual(["accounts", "users"]);

    // Enforced again after both, on the kit's connection: a delete there cascades.
    await dialect.execute({ text: "delete from users where id = ?", values: ["u2"] });
    expect(accounts()).toEqual(["a1"]);
  } finally {
    await kit.close();
  }
});
