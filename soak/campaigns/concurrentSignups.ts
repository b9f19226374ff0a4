/**
 * Campaign 2, concurrent sign-ups: the same e-mail created by N callers at once, and the same
 * provider account linked by N callers at once (each to its own new user, as two simultaneous
 * OAuth sign-ins would), half through each facade. Exactly one row each must result; every other
 * caller must get AdapterError CONFLICT.
 */
import { randomUUID } from "node:crypto";
import { AdapterError, createAdapterKit, ErrorCode, type AdapterAccount } from "../../src";
import { info, loss } from "../report";
import { pool } from "../support/concurrency";
import type { Campaign } from "../support/context";
import { codeOf, describeError, Tally } from "../support/errors";
import { query } from "../support/postgres";
import { settle, type Settled } from "../support/settle";

/** Rounds in flight at once. */
const PARALLEL_ROUNDS = 2;

export const concurrentSignups: Campaign = async (ctx) => {
  const db = await ctx.databases.create("signups");
  const kit = createAdapterKit({ database: db.url });
  await kit.synchronize();
  const v3 = await kit.legacy.getAdapter({ secret: "soak-secret" });
  const callers = ctx.sizes.signupCallers;
  const timeout = ctx.settleTimeoutMs;
  const untyped = new Tally();
  const tally = { rounds: 0, userWinners: 0, accountWinners: 0, noWinner: 0, moreThanOneWinner: 0, conflicts: 0, winnerMismatch: 0 };
  /** Each round's winners, checked against the rows afterwards. */
  const expected: Array<{ email: string; userId: string | undefined; provider: string; providerAccountId: string; accountUserId: string | undefined }> = [];

  /** Counts one race: exactly one "ok", the rest CONFLICT. Returns the winner's value. */
  function judge<T>(outcomes: Settled<T>[], what: string): T | undefined {
    let winner: T | undefined;
    let winners = 0;
    for (const o of outcomes) {
      if (o.status === "ok") {
        winners++;
        winner = o.value;
      } else if (o.status === "error" && AdapterError.is(o.error, ErrorCode.CONFLICT)) tally.conflicts++;
      else untyped.add(`${what} ${o.status === "hung" ? "hung" : codeOf(o.error)}`, o.status === "error" ? describeError(o.error) : what);
    }
    if (winners === 0) tally.noWinner++;
    if (winners > 1) tally.moreThanOneWinner++;
    return winner;
  }

  try {
    await pool(ctx.sizes.signupRounds, PARALLEL_ROUNDS, async (round) => {
      if (performance.now() > ctx.deadline) return;
      const email = `signup.${round}.${randomUUID().slice(0, 8)}@race.example`;
      const users = await Promise.all(
        Array.from({ length: callers }, (_, i) =>
          settle(() => (i % 2 === 0 ? kit.authjs.createUser({ email, emailVerified: null, name: `caller ${i}` }) : v3.createUser({ email, name: `caller ${i}` })), timeout),
        ),
      );
      const user = judge(users, "createUser");
      if (user) tally.userWinners++;

      // Every linking caller has its own user, as two OAuth sign-ins for one new account would.
      const owners = await Promise.all(Array.from({ length: callers }, (_, i) => kit.authjs.createUser({ email: `owner.${round}.${i}.${randomUUID()}@race.example`, emailVerified: null })));
      const provider = "github";
      const providerAccountId = `gh-${round}-${randomUUID()}`;
      const links = await Promise.all(
        owners.map((owner, i) =>
          settle(
            () =>
              i % 2 === 0
                ? kit.authjs.linkAccount({ userId: owner.id, type: "oauth", provider, providerAccountId, access_token: `at-${i}` })
                : // Resolves to the row, though typed `Promise<void>` as v3 declares it.
                  (v3.linkAccount(owner.id, provider, "oauth", providerAccountId, `rt-${i}`, `at-${i}`, null) as unknown as Promise<AdapterAccount>),
            timeout,
          ),
        ),
      );
      const account = judge(links, "linkAccount");
      if (account) tally.accountWinners++;
      tally.rounds++;
      expected.push({ email, userId: user?.id, provider, providerAccountId, accountUserId: account?.userId });
    });
  } finally {
    await kit.close();
  }

  const duplicateUsers = await query<{ n: string }>(db.url, "select coalesce(sum(n - 1), 0) as n from (select count(*) as n from users where email is not null group by email having count(*) > 1) d");
  const duplicateAccounts = await query<{ n: string }>(
    db.url,
    "select coalesce(sum(n - 1), 0) as n from (select count(*) as n from accounts group by provider, provider_account_id having count(*) > 1) d",
  );
  // The row that stands must be the one the winning caller was told about.
  const userRows = new Map((await query<{ email: string; id: string }>(db.url, "select email, id from users")).map((r) => [r.email, String(r.id)]));
  const accountRows = new Map((await query<{ k: string; user_id: string }>(db.url, "select concat(provider, ':', provider_account_id) as k, user_id from accounts")).map((r) => [r.k, String(r.user_id)]));
  for (const e of expected) {
    if (e.userId !== undefined && userRows.get(e.email) !== e.userId) tally.winnerMismatch++;
    if (e.accountUserId !== undefined && accountRows.get(`${e.provider}:${e.providerAccountId}`) !== e.accountUserId) tally.winnerMismatch++;
  }
  await ctx.databases.drop(db);

  return {
    title: "Concurrent sign-ups",
    figures: {
      duplicateRows: loss(Number(duplicateUsers[0]?.n ?? 0) + Number(duplicateAccounts[0]?.n ?? 0)),
      untypedErrors: loss(untyped.total()),
      racesWithoutWinner: loss(tally.noWinner),
      racesWithSeveralWinners: loss(tally.moreThanOneWinner),
      winnerRowMismatches: loss(tally.winnerMismatch),
      races: info(tally.rounds * 2),
      conflictsReported: info(tally.conflicts),
    },
    details: { ...tally, callersPerRace: callers, untypedErrors: untyped.counts, untypedExamples: untyped.examples },
    notes: [
      "Each round races createUser for one e-mail and linkAccount for one provider account, each by N callers, half through kit.authjs and half through the v3 facade.",
      "untypedErrors: any failure other than AdapterError CONFLICT (hangs included). duplicateRows: rows beyond the first per e-mail and per provider account, read from PostgreSQL.",
    ],
  };
};
