/**
 * What every "Coming from ..." test checks alike: the app's life under the old adapter (written
 * through it), and the kit serving that life after the README's steps.
 */
import { randomBytes } from "node:crypto";
import { signInByEmail } from "../../../examples/shared/signInByEmail";
import type { AdapterAccount, AdapterKit, AuthjsAdapter } from "../../../src";

export type WithOld = <T>(fn: (adapter: AuthjsAdapter) => Promise<T>) => Promise<T>;
/** The OAuth account the old adapter links to Grace (without `userId`). */
export type OldAccount = { provider: string; providerAccountId: string; type?: AdapterAccount["type"] } & Partial<Pick<AdapterAccount, "access_token" | "id_token" | "scope" | "expires_at">>;

/** Two users signed in by e-mail, Grace with an OAuth account, and a pending e-mail link. */
export async function lifeWithOldAdapter(withOld: WithOld, account: OldAccount) {
  return withOld(async (adapter) => {
    const ada = await signInByEmail(adapter, "ada@example.com");
    const alan = await signInByEmail(adapter, "alan@example.com");
    const grace = await adapter.createUser({ email: "grace@example.com", emailVerified: null, name: "Grace" } as never);
    await adapter.linkAccount({ type: "oauth", ...account, userId: grace.id } as AdapterAccount);
    const pendingToken = randomBytes(32).toString("hex"); // as @auth/core hands it to adapters: already hashed
    await adapter.createVerificationToken({ identifier: "linus@example.com", token: pendingToken, expires: new Date(Date.now() + 10 * 60_000) });
    // What the adapter reads back, to compare the kit's reading with.
    const seen = (await adapter.getSessionAndUser(ada.session.sessionToken))!;
    return { ada, alan, grace, account, pendingToken, seen };
  });
}

export type OldLife = Awaited<ReturnType<typeof lifeWithOldAdapter>>;

/** Fields an old adapter hands out that are no part of Auth.js's records (Prisma's bookkeeping). */
const BOOKKEEPING = ["createdAt", "updatedAt"];
const without = <T extends object>(record: T, keys: readonly string[]) => Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));

/**
 * The kit that still accepts raw session tokens (`migrating`) serves the old life: the session and
 * user as the adapter read them, Grace's account, the pending link once. Then `hashSessionTokens`
 * hashes the two sessions, which are keyed by their token, in batches of one whose cursor reads
 * "pending"; and `after`, a kit without raw tokens, still serves them.
 */
export async function expectKitServesOldLife(migrating: AdapterKit, after: AdapterKit, life: OldLife): Promise<void> {
  const adapter = migrating.authjs;
  const { seen, account } = life;
  expect(await adapter.getSessionAndUser(life.ada.session.sessionToken)).toEqual({ session: without(seen.session, BOOKKEEPING), user: without(seen.user, BOOKKEEPING) });
  expect(await adapter.getUserByAccount({ provider: account.provider, providerAccountId: account.providerAccountId })).toMatchObject({ id: life.grace.id, name: "Grace" });
  expect(await adapter.getAccount!(account.providerAccountId, account.provider)).toMatchObject({ ...account, userId: life.grace.id });
  expect(await adapter.useVerificationToken({ identifier: "linus@example.com", token: life.pendingToken })).toMatchObject({ identifier: "linus@example.com" });
  expect(await adapter.useVerificationToken({ identifier: "linus@example.com", token: life.pendingToken })).toBeNull();

  const progress: unknown[] = [];
  expect(await migrating.hashSessionTokens({ batchSize: 1, onBatch: (p) => void progress.push(p.next) })).toMatchObject({ hashed: 2, done: true, next: null });
  expect(progress).toEqual(["pending", "pending"]);
  for (const signedIn of [life.ada, life.alan]) {
    expect(await after.authjs.getSessionAndUser(signedIn.session.sessionToken)).toMatchObject({ user: { id: signedIn.user.id } });
  }
}

/**
 * next-auth v4's Prisma tables (an `id` on Account and Session): the kit serves what the adapter
 * wrote, hashes the old session paging by `id`, signs in anew with a UUID `id` (`sessionIdOf` reads
 * it for a user), and keeps `(provider, providerAccountId)` unique.
 */
export async function expectIdsLayoutJourney(kit: (options?: object) => AdapterKit, withOld: WithOld, sessionIdOf: (userId: string) => Promise<string>): Promise<void> {
  const before = await withOld(async (old) => {
    const ada = await signInByEmail(old, "ada@example.com");
    await old.linkAccount({ userId: ada.user.id, type: "oauth", provider: "github", providerAccountId: "4242", access_token: "gho_old" });
    const pendingToken = randomBytes(32).toString("hex");
    await old.createVerificationToken({ identifier: "linus@example.com", token: pendingToken, expires: new Date(Date.now() + 600_000) });
    return { ada, pendingToken, seen: (await old.getSessionAndUser(ada.session.sessionToken))! };
  });

  const migrating = kit({ acceptRawSessionTokens: true });
  // The kit hands out Auth.js's session fields; the row's own `id` is no part of them.
  expect(await migrating.authjs.getSessionAndUser(before.ada.session.sessionToken)).toEqual({ ...before.seen, session: without(before.seen.session, ["id"]) });
  expect(await migrating.authjs.getAccount!("4242", "github")).toMatchObject({ userId: before.ada.user.id, access_token: "gho_old" });
  expect(await migrating.authjs.useVerificationToken({ identifier: "linus@example.com", token: before.pendingToken })).toMatchObject({ identifier: "linus@example.com" });
  // Keyed by id: the job pages by it, as on the kit's own tables.
  expect(await migrating.hashSessionTokens()).toMatchObject({ hashed: 1, done: true });
  const after = kit().authjs;
  expect(await after.getSessionAndUser(before.ada.session.sessionToken)).toMatchObject({ user: { id: before.ada.user.id } });

  const fresh = await signInByEmail(after, "linus@example.com");
  expect(await sessionIdOf(fresh.user.id)).toMatch(/^[0-9a-f-]{36}$/);
  await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "gitlab", providerAccountId: "7" });
  expect(await after.linkAccount({ userId: fresh.user.id, type: "oauth", provider: "gitlab", providerAccountId: "7" }).catch((e: unknown) => e)).toMatchObject({ code: "CONFLICT" });
  expect(await after.unlinkAccount!({ provider: "gitlab", providerAccountId: "7" })).toMatchObject({ userId: fresh.user.id });
}
