/**
 * Campaign 4, database faults: steady load from N concurrent callers (both facades, reads and
 * writes) while every server backend of the kit's pool is killed with pg_terminate_backend, again
 * and again; and, with --restart-postgres, while the server itself restarts once.
 *
 * Every call must return the right data or throw AdapterError DATABASE_UNAVAILABLE with its cause
 * (anything else is a wrong answer), and settle within the stated timeout (else it is hung).
 * Each caller owns its users, so the right answer is always known.
 */
import { randomBytes } from "node:crypto";
import { createAdapterKit } from "../../src";
import { SessionTokenHasher } from "../../src/kernel/sessionTokens";
import { CONNECTION_DEFAULTS } from "../../src/persistence/mikro-orm/resolveDatabase";
import { info, loss, target } from "../report";
import type { Campaign, CampaignContext } from "../support/context";
import { Tally } from "../support/errors";
import { callerLoop, seedOwners, USERS_PER_CALLER, type Counters } from "../support/faultLoad";
import { killBackends } from "../support/mariadb";
import { query, type SoakDatabase } from "../support/postgres";
import { freezeBackends, otherClients, restartPostgres, serverAnswers, terminateBackends } from "../support/postgresFaults";
import { sleep } from "../support/settle";

interface Fault {
  kind: "terminate" | "restart" | "freeze";
  /** performance.now() when the fault was done (backends killed; server answering again). */
  at: number;
  backends?: number;
  /** ms from `at` to the end of the first successful call that started after the fault began. */
  recoveredAfterMs?: number;
  began: number;
}

export const databaseFaults: Campaign = async (ctx) => {
  const db = await ctx.databases.create("faults");
  const secret = randomBytes(32).toString("base64");
  const kit = createAdapterKit({ database: db.url, secret });
  await kit.synchronize();
  const v3 = await kit.legacy.getAdapter({ secret: "soak-secret" });
  const callers = await seedOwners(kit, ctx.sizes.faultCallers);
  const counters: Counters = { calls: 0, ok: 0, unavailable: 0, hung: 0, maxCallMs: 0, slow: [], slowCount: 0 };
  const lastFault = () => faults.at(-1)?.began;
  const wrong = new Tally();
  const faults: Fault[] = [];
  const createdSessions: string[] = [];
  const restart: Record<string, unknown> = { requested: ctx.options.restartPostgres };
  let running = true;

  const onSuccess = (started: number, ended: number) => {
    for (const f of faults) if (f.recoveredAfterMs === undefined && started >= f.began) f.recoveredAfterMs = Math.max(0, ended - f.at);
  };
  const shared = { ctx, kit, v3, counters, wrong, createdSessions, onSuccess, running: () => running, lastFault };
  const load = callers.map((users) => callerLoop(shared, users));

  try {
    await sleep(ctx.sizes.faultIntervalMs);
    for (let i = 0; i < ctx.sizes.faultTerminations && performance.now() < ctx.deadline; i++) {
      const began = performance.now();
      // PostgreSQL: pg_terminate_backend; MariaDB: KILL CONNECTION. Either way every session of the pool ends.
      const backends = db.kind === "mariadb" ? await killBackends(db.name) : await terminateBackends(db.name);
      faults.push({ kind: "terminate", began, at: performance.now(), backends });
      await sleep(ctx.sizes.faultIntervalMs);
    }
    if (ctx.options.freezePostgres) {
      // Longer than the hung threshold: a call that only the server's statement_timeout bounds shows as hung.
      const ms = ctx.settleTimeoutMs + 5000;
      ctx.log(`databaseFaults: freezing the database's backends for ${ms / 1000} s`);
      const fault: Fault = { kind: "freeze", began: performance.now(), at: Infinity };
      faults.push(fault);
      fault.backends = await freezeBackends(db.name, ms);
      fault.at = performance.now();
      fault.recoveredAfterMs = undefined;
      await sleep(ctx.sizes.faultIntervalMs);
    }
    if (ctx.options.restartPostgres) await restartOnce(ctx, db, faults, restart);
    await sleep(ctx.sizes.faultIntervalMs);
  } finally {
    running = false;
    await Promise.all(load);
    await kit.close();
  }

  // Writes the callers were told succeeded must be there.
  // Session tokens are stored hashed (the kit's default): look each one up in its stored form.
  const hasher = new SessionTokenHasher(secret);
  const found = new Set((await query<{ t: string }>(db.url, "select session_token as t from sessions")).map((r) => r.t));
  const lostWrites = createdSessions.filter((t) => !found.has(hasher.stored(t))).length;
  const names = new Map((await query<{ id: string; name: string }>(db.url, "select id, name from users")).map((r) => [String(r.id), r.name]));
  for (const user of callers.flat()) if (!user.names.has(names.get(user.id) ?? "")) wrong.add("final name unexpected", `${user.id}: ${names.get(user.id)}`);
  await ctx.databases.drop(db);

  const terminations = faults.filter((f) => f.kind === "terminate");
  const restarted = faults.find((f) => f.kind === "restart");
  const frozen = faults.find((f) => f.kind === "freeze");
  const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms) / 1000);
  const worst = terminations.some((f) => f.recoveredAfterMs === undefined) ? null : Math.max(...terminations.map((f) => f.recoveredAfterMs!));
  return {
    title: "Database faults",
    figures: {
      wrongAnswers: loss(wrong.total()),
      hungCalls: loss(counters.hung),
      lostWrites: loss(lostWrites),
      secondsToRecover: target(seconds(worst ?? undefined), "≤ 2"),
      secondsToRecoverAfterRestart: target(restarted ? seconds(restarted.recoveredAfterMs) : null, "≤ 2"),
      ...(frozen ? { secondsToRecoverAfterFreeze: target(seconds(frozen.recoveredAfterMs), "≤ 2") } : {}),
      calls: info(counters.calls),
      unavailableErrors: info(counters.unavailable),
      backendTerminations: info(terminations.length),
      maxCallSeconds: info(Math.round(counters.maxCallMs) / 1000),
      callsOver1s: info(counters.slowCount),
    },
    details: {
      ...counters,
      wrongAnswers: wrong.counts,
      wrongExamples: wrong.examples,
      faults: faults.map((f) => ({ kind: f.kind, backends: f.backends, secondsToRecover: seconds(f.recoveredAfterMs) })),
      restart,
      hungThresholdMs: ctx.settleTimeoutMs,
      connectionDefaults: CONNECTION_DEFAULTS,
    },
    notes: [
      `${ctx.sizes.faultCallers} concurrent callers, each owning ${USERS_PER_CALLER} users: getSessionAndUser, getUser, getUserByAccount, getAccount, updateUser, createSession, createVerificationToken + useVerificationToken (Auth.js) and getSession, getUserByEmail (v3).`,
      "Fault: pg_terminate_backend of every backend connected to the campaign's database (the kit's whole pool), from an admin connection to another database.",
      "wrongAnswers: a result that is not the right data, or a failure other than AdapterError DATABASE_UNAVAILABLE with a cause. lostWrites: createSession calls that returned yet whose row is missing.",
      `hungCalls: calls not settled within ${ctx.settleTimeoutMs / 1000} s (pool acquire timeout ${CONNECTION_DEFAULTS.acquireTimeoutMillis / 1000} s, statement_timeout ${CONNECTION_DEFAULTS.statementTimeoutMillis / 1000} s).`,
      "secondsToRecover: per fault, from the fault (backends killed, or server answering again after a restart) to the end of the first successful call that started after it began; the worst termination is shown.",
      ...(ctx.options.freezePostgres
        ? [`--freeze-postgres: every backend of the campaign's database was stopped (SIGSTOP) for ${(ctx.settleTimeoutMs + 5000) / 1000} s, a server that stops answering; calls in flight then are bounded only by client-side timeouts.`]
        : []),
      ctx.options.restartPostgres ? "--restart-postgres: the machine's PostgreSQL was restarted once under load (see details.restart)." : "The server restart runs only with --restart-postgres (full runs): it would break every other client of the shared server.",
    ],
  };
};

async function restartOnce(ctx: CampaignContext, db: SoakDatabase, faults: Fault[], restart: Record<string, unknown>): Promise<void> {
  const others = await otherClients(db.name);
  if (others.length > 0) {
    restart.skipped = `other clients were connected: ${others.join("; ")}`;
    ctx.log(`databaseFaults: restart skipped, ${restart.skipped}`);
    return;
  }
  ctx.log("databaseFaults: restarting PostgreSQL");
  const fault: Fault = { kind: "restart", began: performance.now(), at: Infinity };
  faults.push(fault);
  await restartPostgres();
  fault.at = await serverAnswers();
  restart.done = true;
  restart.secondsDown = Math.round(fault.at - fault.began) / 1000;
  // A call that succeeded before the poll noticed the server counts as recovered at once.
  if (fault.recoveredAfterMs !== undefined) fault.recoveredAfterMs = Math.max(0, fault.recoveredAfterMs);
}
