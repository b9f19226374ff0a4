/**
 * The README's "Coming from @auth/mikro-orm-adapter" steps, followed on a database that adapter laid
 * out (its own entities) and used (users, a session, an OAuth account and a pending e-mail link
 * written by MikroOrmAdapter itself). After the steps the kit serves all of it and signs in anew.
 */
import { randomBytes } from "node:crypto";
import { MikroORM } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, createEntities, type AdapterKit, type AuthjsAdapter } from "../../src";
import { signInByEmail } from "../../examples/shared/signInByEmail";
import { createTestDatabase, query, type TestDatabase } from "../support/database";

let db: TestDatabase;
let kit: AdapterKit | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await kit?.close();
  await db?.drop();
});

const inTenMinutes = () => new Date(Date.now() + 10 * 60_000);

/** The app before: @auth/mikro-orm-adapter's tables, created from its entities, and its own writes. */
async function lifeWithTheOldAdapter() {
  const { MikroOrmAdapter, defaultEntities } = await import("@auth/mikro-orm-adapter");
  const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: db.url, entities: Object.values(defaultEntities) as never });
  await orm.schema.createSchema();
  await orm.close();
  // Idle connections go away, so the adapter (which has no close()) leaves nothing open.
  const adapter = MikroOrmAdapter({ driver: PostgreSqlDriver, clientUrl: db.url, pool: { min: 0, idleTimeoutMillis: 200 } }) as unknown as AuthjsAdapter;
  const ada = await signInByEmail(adapter, "ada@example.com");
  const grace = await adapter.createUser({ email: "grace@example.com", emailVerified: null, name: "Grace" } as never);
  await adapter.linkAccount({ userId: grace.id, type: "oauth", provider: "github", providerAccountId: "4242", access_token: "gho_old", scope: "read:user" });
  const pendingToken = randomBytes(32).toString("hex"); // as @auth/core hands it to adapters: already hashed
  await adapter.createVerificationToken({ identifier: "linus@example.com", token: pendingToken, expires: inTenMinutes() });
  return { ada, grace, pendingToken };
}

test("after the README's steps the kit serves the old adapter's users, session, account and pending link, and signs in anew", async () => {
  const before = await lifeWithTheOldAdapter();
  const rowsBefore = await query(db.url, `select (select count(*) from "user") users, (select count(*) from "session") sessions, (select count(*) from "account") accounts, (select count(*) from "verification_token") tokens`);

  // Step 1: the kit's entities on the adapter's table names.
  const entities = createEntities({ tables: { user: "user", account: "account", session: "session", verificationToken: "verification_token", authenticator: "authenticator" } });
  // The adapter stored session tokens as given: the kit hashes them, so the read window is on.
  kit = createAdapterKit({ database: db.url, entities, secret: "from-mikro-orm-adapter-secret-0123456789", acceptRawSessionTokens: true });
  // Step 2, once (a deploy step): what the kit has in addition; nothing is dropped, no row changes.
  await kit.synchronize();
  expect(await query(db.url, `select (select count(*) from "user") users, (select count(*) from "session") sessions, (select count(*) from "account") accounts, (select count(*) from "verification_token") tokens`)).toEqual(rowsBefore);
  // Step 3: `adapter: kit.authjs` in the Auth.js config.
  const adapter = kit.authjs;

  const session = await adapter.getSessionAndUser(before.ada.session.sessionToken);
  expect(session).toMatchObject({ user: { id: before.ada.user.id, email: "ada@example.com" }, session: { userId: before.ada.user.id } });
  expect(await adapter.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toMatchObject({ id: before.grace.id, name: "Grace" });
  expect(await adapter.getAccount!("4242", "github")).toMatchObject({ userId: before.grace.id, access_token: "gho_old", scope: "read:user" });
  expect(await adapter.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toMatchObject({ identifier: "linus@example.com" });
  // Step 4: the old sessions hashed once; the window can close, and Ada is still signed in.
  expect(await kit.hashSessionTokens()).toMatchObject({ hashed: 1, done: true });
  expect(await query(db.url, `select 1 from "session" where session_token = $1`, [before.ada.session.sessionToken])).toEqual([]);
  const closed = createAdapterKit({ database: db.url, entities, secret: "from-mikro-orm-adapter-secret-0123456789" });
  try {
    expect(await closed.authjs.getSessionAndUser(before.ada.session.sessionToken)).toMatchObject({ user: { id: before.ada.user.id } });
  } finally {
    await closed.close();
  }

  const again = await signInByEmail(adapter, "ada@example.com");
  expect(again.user.id).toBe(before.ada.user.id);
  const fresh = await signInByEmail(adapter, "linus@example.com");
  expect(await adapter.getSessionAndUser(fresh.session.sessionToken)).toMatchObject({ user: { email: "linus@example.com" } });
  await adapter.createAuthenticator!({ credentialID: "cred-1", userId: fresh.user.id, providerAccountId: "cred-1", credentialPublicKey: "pk", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, transports: null });
  // Deleting a user takes its sessions and accounts with it, as the adapter did.
  await adapter.deleteUser!(before.grace.id);
  expect(await adapter.getUserByAccount({ provider: "github", providerAccountId: "4242" })).toBeNull();
});
