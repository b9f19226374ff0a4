/**
 * Campaign 7, identity-map isolation: rounds of 64 concurrent operations, each on a different
 * user (reads, renames, session and account changes, authenticators, e-mail tokens, both facades),
 * on a plain kit and on a kit with the hashing and session-cache plugins. Each operation runs on
 * its own EntityManager fork; a result carrying any other user's id, e-mail, token or key is a
 * cross-request leak.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { hashVerificationTokens, sessionCache } from "../../plugins";
import { createAdapterKit, type AdapterKit, type LegacyMethods } from "../../src";
import { info, loss } from "../report";
import type { Campaign } from "../support/context";
import { describeError, Tally } from "../support/errors";
import { settle } from "../support/settle";

const USERS = 64;

interface Owned {
  kit: string;
  index: number;
  id: string;
  email: string;
  sessionToken: string;
  providerAccountId: string;
  credentialID: string;
}

type Step = (kit: AdapterKit, v3: LegacyMethods, u: Owned, round: number) => Promise<{ results: unknown[]; problem?: string }>;

/** One operation (or a short sequence on the same user) per step; the task's own data must come back. */
const STEPS: Record<string, Step> = {
  getUser: async (kit, _v3, u) => {
    const r = await kit.authjs.getUser(u.id);
    return { results: [r], problem: r?.email === u.email ? undefined : "getUser did not return the user" };
  },
  getUserByEmail: async (kit, _v3, u) => {
    const r = await kit.authjs.getUserByEmail(u.email);
    return { results: [r], problem: r?.id === u.id ? undefined : "getUserByEmail did not return the user" };
  },
  getUserByAccount: async (kit, _v3, u) => {
    const r = await kit.authjs.getUserByAccount({ provider: "github", providerAccountId: u.providerAccountId });
    return { results: [r], problem: r?.id === u.id ? undefined : "getUserByAccount did not return the user" };
  },
  getSessionAndUser: async (kit, _v3, u) => {
    const r = await kit.authjs.getSessionAndUser(u.sessionToken);
    return { results: [r], problem: r?.user.id === u.id && r.session.userId === u.id ? undefined : "getSessionAndUser did not return the session" };
  },
  renameThenRead: async (kit, _v3, u, round) => {
    const name = `user-${u.index}-round-${round}`;
    const updated = await kit.authjs.updateUser({ id: u.id, name });
    const read = await kit.authjs.getUser(u.id);
    return { results: [updated, read], problem: updated.name === name && read?.name === name ? undefined : "a rename did not read back" };
  },
  refreshSession: async (kit, _v3, u) => {
    const r = await kit.authjs.updateSession({ sessionToken: u.sessionToken, expires: new Date(Date.now() + 7_200_000) });
    return { results: [r], problem: r?.userId === u.id ? undefined : "updateSession did not return the session" };
  },
  sessionLifecycle: async (kit, _v3, u) => {
    const sessionToken = randomBytes(16).toString("hex");
    const created = await kit.authjs.createSession({ sessionToken, userId: u.id, expires: new Date(Date.now() + 3_600_000) });
    const read = await kit.authjs.getSessionAndUser(sessionToken);
    const deleted = await kit.authjs.deleteSession(sessionToken);
    return { results: [created, read, deleted], problem: read?.user.id === u.id && deleted?.userId === u.id ? undefined : "a new session did not read back" };
  },
  accountLifecycle: async (kit, _v3, u) => {
    const providerAccountId = `extra-${u.index}-${randomUUID()}`;
    const linked = await kit.authjs.linkAccount({ userId: u.id, type: "oauth", provider: "gitlab", providerAccountId, access_token: `at-${u.index}-${randomUUID()}` });
    const owner = await kit.authjs.getUserByAccount({ provider: "gitlab", providerAccountId });
    const account = await kit.authjs.getAccount(providerAccountId, "gitlab");
    const unlinked = await kit.authjs.unlinkAccount({ provider: "gitlab", providerAccountId });
    return { results: [linked, owner, account, unlinked], problem: owner?.id === u.id && account?.userId === u.id ? undefined : "a new account did not read back" };
  },
  authenticators: async (kit, _v3, u, round) => {
    const list = await kit.authjs.listAuthenticatorsByUserId(u.id);
    const counted = await kit.authjs.updateAuthenticatorCounter(u.credentialID, round + 1);
    const ok = list.length === 1 && list[0]!.credentialID === u.credentialID && counted.userId === u.id;
    return { results: [list, counted], problem: ok ? undefined : "authenticators did not read back" };
  },
  emailToken: async (kit, _v3, u) => {
    const token = randomBytes(16).toString("hex");
    await kit.authjs.createVerificationToken({ identifier: u.email, token, expires: new Date(Date.now() + 600_000) });
    const used = await kit.authjs.useVerificationToken({ identifier: u.email, token });
    return { results: [used], problem: used?.identifier === u.email ? undefined : "an e-mail token did not read back" };
  },
  v3Reads: async (_kit, v3, u) => {
    const session = await v3.getSession(u.sessionToken);
    const user = await v3.getUser(u.id);
    const byEmail = await v3.getUserByEmail(u.email);
    return { results: [session, user, byEmail], problem: session?.userId === u.id && user?.id === u.id && byEmail?.id === u.id ? undefined : "v3 reads did not return the user" };
  },
};

export const identityMap: Campaign = async (ctx) => {
  const db = await ctx.databases.create("identity");
  const kits: Record<string, AdapterKit> = {
    plain: createAdapterKit({ database: db.url }),
    plugins: createAdapterKit({ database: db.url, plugins: [sessionCache()] }),
  };
  const leaks = new Tally(5);
  const wrong = new Tally(5);
  let operations = 0;
  let rounds = 0;
  try {
    await kits.plain!.synchronize();
    const owned = { plain: await seed(kits.plain!, "plain"), plugins: await seed(kits.plugins!, "plugins") };
    const markers = [...owned.plain, ...owned.plugins];
    // Every value that identifies a user: a result holding one of another user's is a leak.
    const pattern = new RegExp(markers.flatMap((u) => [u.id, u.email, u.sessionToken, u.providerAccountId, u.credentialID]).map(escape).join("|"), "gi");
    const ownerOf = new Map<string, Owned>();
    for (const u of markers) for (const v of [u.id, u.email, u.sessionToken, u.providerAccountId, u.credentialID]) ownerOf.set(v.toLowerCase(), u);
    const steps = Object.entries(STEPS);
    for (let round = 0; round < ctx.sizes.isolationRounds && performance.now() < ctx.deadline; round++) {
      const name = round % 2 === 0 ? "plain" : "plugins";
      const kit = kits[name]!;
      const v3 = await kit.legacy.getAdapter({ secret: "soak-secret" });
      await Promise.all(
        owned[name].map(async (u, i) => {
          const [stepName, step] = steps[(i + round) % steps.length]!;
          const outcome = await settle(() => step(kit, v3, u, round), ctx.settleTimeoutMs);
          operations++;
          if (outcome.status !== "ok") {
            wrong.add(`${stepName} ${outcome.status}`, outcome.status === "error" ? describeError(outcome.error) : "hung");
            return;
          }
          if (outcome.value.problem) wrong.add(stepName, `${outcome.value.problem} (user ${u.index})`);
          const text = JSON.stringify(outcome.value.results) ?? "";
          // One leak per operation, however many of the other user's values it returned.
          const foreign = [...text.matchAll(pattern)].map((m) => ownerOf.get(m[0].toLowerCase())).find((owner) => owner && owner !== u);
          if (foreign) leaks.add(stepName, `${u.kit} user ${u.index}'s ${stepName} returned a value of ${foreign.kit} user ${foreign.index}`);
        }),
      );
      rounds++;
    }
  } finally {
    await Promise.all(Object.values(kits).map((k) => k.close()));
  }
  await ctx.databases.drop(db);
  return {
    title: "Identity-map isolation",
    figures: {
      crossRequestLeaks: loss(leaks.total()),
      wrongOwnResults: loss(wrong.total()),
      rounds: info(rounds),
      concurrentOperationsPerRound: info(USERS),
      operations: info(operations),
    },
    details: { leaks: leaks.counts, leakExamples: leaks.examples, wrong: wrong.counts, wrongExamples: wrong.examples, steps: Object.keys(STEPS) },
    notes: [
      `Each round runs ${USERS} operations at once, one per user, mixing ${Object.keys(STEPS).length} kinds (reads, rename-then-read, session and account lifecycles, authenticators, e-mail tokens, v3 reads); rounds alternate between a plain kit and one with an in-process sessionCache (both store session tokens hashed, the kit's default).`,
      "crossRequestLeaks: results holding another user's id, e-mail, session token, provider account id or credential id. wrongOwnResults: an operation that did not get its own user's data back (or failed).",
    ],
  };
};

/** 64 users with a session, a GitHub account and an authenticator each. */
async function seed(kit: AdapterKit, label: string): Promise<Owned[]> {
  return Promise.all(
    Array.from({ length: USERS }, async (_, index) => {
      const email = `${label}.user${index}.${randomUUID().slice(0, 8)}@identity.example`;
      const user = await kit.authjs.createUser({ email, emailVerified: null, name: `user-${index}` });
      const sessionToken = randomBytes(24).toString("hex");
      await kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
      const providerAccountId = `${label}-gh-${randomUUID()}`;
      await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId });
      const credentialID = `${label}-cred-${randomUUID()}`;
      await kit.authjs.createAuthenticator({
        credentialID,
        userId: user.id,
        providerAccountId,
        credentialPublicKey: "pk",
        counter: 0,
        credentialBackedUp: false,
        credentialDeviceType: "singleDevice",
      });
      return { kit: label, index, id: user.id, email, sessionToken, providerAccountId, credentialID };
    }),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
