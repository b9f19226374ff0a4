/**
 * Campaign 5, hostile input: property-based fuzzing (fast-check) of every method of both facades
 * (the 19 Auth.js methods, getAdapter and the 16 v3 methods) with wrong types, 1 MB strings,
 * unicode (lone surrogates included), SQL metacharacters, invalid dates and prototype-pollution
 * keys, on a plain kit and on a kit with every plugin. Then a second pass where every string
 * is an SQL injection payload.
 *
 * crashes: a call that neither returned a normal result nor rejected with a typed AdapterError
 * (INTERNAL counts as a crash: it means an exception the kit did not expect), or hung, plus any
 * process-level failure. partialWrites: a call that failed yet changed a row. Bystander rows
 * (users, accounts, sessions, authenticators, tokens no generated call can name) must never change.
 */
import { Writable } from "node:stream";
import fc from "fast-check";
import pino from "pino";
import { hashVerificationTokens, logging, metrics, sessionCache } from "../../plugins";
import { AdapterError, createAdapterKit, ErrorCode, type AdapterKit } from "../../src";
import { info, loss } from "../report";
import type { Campaign } from "../support/context";
import { describeArgs } from "../support/describeValue";
import { describeError, Tally } from "../support/errors";
import { facadeMethods, normalResult, type FacadeMethod, type TargetPool } from "../support/facadeMethods";
import { hostileString, prototypeSnapshot, SQL_PAYLOADS } from "../support/hostileValues";
import { query } from "../support/postgres";
import { faultMark, faultsSince } from "../support/processFaults";
import { settle } from "../support/settle";
import { TableWatch } from "../support/tableFingerprint";
import { doing } from "../support/watchdog";

/** Marks a facade method that threw instead of returning a promise. */
class SynchronousThrow {
  constructor(readonly error: unknown) {}
}

export const hostileInput: Campaign = async (ctx) => {
  const prototypesBefore = prototypeSnapshot();
  const mark = faultMark();
  const db = await ctx.databases.create("hostile");
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const kits: Record<"plain" | "plugins", AdapterKit> = {
    plain: createAdapterKit({ database: db.url }),
    plugins: createAdapterKit({
      database: db.url,
      plugins: [
        hashVerificationTokens({ pepper: "soak-pepper-0123456789abcdef0123456789abcdef" }),
        logging({ logger: pino({ level: "trace" }, discard), level: "trace" }),
        metrics(),
        sessionCache({ negativeTtlMs: 1000 }),
      ],
    }),
  };
  /** Whole-pool rebuilds while only hostile input was sent: must stay 0 (issue 10). */
  let poolRebuildsFromInput = 0;
  for (const kit of Object.values(kits)) kit.events.on("database.rebuild", () => poolRebuildsFromInput++);
  await kits.plain.synchronize();
  const bystanders = await seedRows(kits.plain, "bystander", 5);
  const pool = await seedRows(kits.plain, "target", 20);
  const watch = await TableWatch.open(db.url, bystanders.userIds, bystanders.identifiers);
  let bystanderState = await watch.bystanders();

  const crashes = new Tally(4);
  const partial = new Tally(4);
  const changedOthers = new Tally(4);
  const outcomes = new Tally(2);
  const synchronousThrows = new Tally(2);
  const echoed = new Tally(3);
  const harness: string[] = [];
  let calls = 0;

  const judge = async (method: FacadeMethod, kit: AdapterKit, args: unknown[], pass: string) => {
    calls++;
    const label = `${method.facade}.${method.name}`;
    const before = await watch.fingerprint();
    doing(`hostileInput ${pass}: ${label}(${describeArgs(args)})`);
    const outcome = await settle(() => {
      try {
        return method.call(kit, args);
      } catch (error) {
        return Promise.reject(new SynchronousThrow(error));
      }
    }, ctx.settleTimeoutMs);
    let failed = true;
    if (outcome.status === "hung") crashes.add(`${label} hung`, describeArgs(args));
    else if (outcome.status === "ok") {
      failed = false;
      if (normalResult(method.result, outcome.value)) outcomes.add(`${label} ok`);
      else crashes.add(`${label} abnormal result`, `${describeArgs(args)} -> ${describeArgs([outcome.value])}`);
    } else {
      let error = outcome.error;
      if (error instanceof SynchronousThrow) {
        synchronousThrows.add(label, describeError(error.error));
        error = error.error;
      }
      if (error instanceof AdapterError && error.code !== ErrorCode.INTERNAL) outcomes.add(`${label} ${error.code}`, `${describeError(error)} <- ${describeArgs(args)}`);
      else crashes.add(`${label} ${error instanceof AdapterError ? "INTERNAL" : "untyped"}`, `${describeError(error)} <- ${describeArgs(args)}`);
      const message = (error as { message?: unknown } | null)?.message;
      if (typeof message === "string" && stringsIn(args).some((v) => message.includes(v))) echoed.add(label, `${message.slice(0, 200)} <- ${describeArgs(args)}`);
    }
    if (failed && (await watch.fingerprint()) !== before) partial.add(label, describeArgs(args));
    const now = await watch.bystanders();
    if (now !== bystanderState) {
      changedOthers.add(`${pass} ${label}`, describeArgs(args));
      bystanderState = now;
    }
  };

  const passes: Array<[string, fc.Arbitrary<string>, number]> = [
    ["hostile", hostileString, ctx.sizes.fuzzRunsPerMethod],
    ["sqlInjection", fc.constantFrom(...SQL_PAYLOADS), ctx.sizes.injectionRunsPerMethod],
  ];
  try {
    for (const [pass, strings, runs] of passes) {
      const methods = facadeMethods(strings, pool);
      ctx.log(`hostileInput: ${pass}, ${methods.length} methods x ${runs} calls`);
      for (const [i, method] of methods.entries()) {
        if (performance.now() > ctx.deadline) break;
        const property = fc.asyncProperty(fc.constantFrom("plain", "plugins"), method.args, async (kitName, args) => {
          await judge(method, kits[kitName as "plain" | "plugins"], args, pass);
          return true;
        });
        const details = await fc.check(property, { numRuns: runs, seed: ctx.options.seed + i, endOnFailure: true });
        if (details.failed) harness.push(`${pass} ${method.facade}.${method.name}: ${String(details.errorInstance).slice(0, 300)}`);
      }
    }
  } finally {
    await watch.close();
    await Promise.all(Object.values(kits).map((k) => k.close()));
  }
  const [hijacked] = await query<{ n: string }>(db.url, "select count(*) as n from users where id = 'hijacked-id' or email = 'hijacked@example.com'");
  await ctx.databases.drop(db);
  const faults = faultsSince(mark);
  const prototypesPolluted = prototypeSnapshot() !== prototypesBefore;

  const codes: Record<string, number> = {};
  for (const [key, n] of Object.entries(outcomes.counts)) {
    const code = key.split(" ").at(-1)!;
    codes[code] = (codes[code] ?? 0) + n;
  }
  return {
    title: "Hostile input",
    figures: {
      crashes: loss(crashes.total() + faults.length),
      partialWrites: loss(partial.total()),
      sqlInjectionOtherRowsChanged: loss(changedOthers.total()),
      prototypePolluted: loss(prototypesPolluted ? 1 : 0),
      rowsFromPollutedKeys: loss(Number(hijacked?.n ?? 0)),
      errorMessagesEchoingInput: loss(echoed.total()),
      poolRebuildsFromInput: loss(poolRebuildsFromInput),
      fuzzHarnessErrors: loss(harness.length),
      calls: info(calls),
      typedRejections: info(outcomes.total() - (codes.ok ?? 0)),
      synchronousThrows: info(synchronousThrows.total()),
    },
    details: {
      outcomesByCode: codes,
      crashes: crashes.counts,
      crashExamples: crashes.examples,
      partialWrites: partial.counts,
      partialWriteExamples: partial.examples,
      otherRowsChanged: changedOthers.examples,
      errorMessagesEchoingInput: echoed.examples,
      synchronousThrows: synchronousThrows.counts,
      synchronousThrowExamples: synchronousThrows.examples,
      databaseErrorExamples: Object.fromEntries(Object.entries(outcomes.examples).filter(([k]) => k.endsWith(ErrorCode.DATABASE_ERROR))),
      harness,
      processFaults: faults,
      seed: ctx.options.seed,
    },
    notes: [
      "Both facades, every method: 19 Auth.js methods, v3 getAdapter (hostile appOptions) and the 16 v3 methods; each call on a plain kit or on a kit with every plugin (hashing with sessionTokens and a pepper, logging at trace, metrics, an in-process session cache).",
      "crashes: results that are not a normal result, rejections that are not an AdapterError or are INTERNAL, hangs, and process-level failures (unhandled rejections, uncaught exceptions).",
      "partialWrites: a call that failed while some row changed (row versions fingerprinted before and after each call). sqlInjectionOtherRowsChanged: calls after which a bystander row (never named by a generated call) differed; checked after every call of both passes.",
      "prototypePolluted: the own property names of Object/Array/Function.prototype, and inherited probe keys, differ after the campaign. rowsFromPollutedKeys: rows carrying the ids/e-mails planted under __proto__.",
      "errorMessagesEchoingInput: rejections whose message contains one of the call's string arguments (16+ characters): a message may reach a log, and the arguments hold tokens and e-mails.",
      "poolRebuildsFromInput: times a kit closed and reopened its whole connection pool (the database.rebuild kit event) during the campaign, where only input varies: must be 0. The hostile strings include words of connection errors (aborted, ECONNRESET, ...), overlong and with NUL bytes.",
      "synchronousThrows: facade methods that threw instead of returning a rejected promise (callers await them, so this is not counted as a crash).",
    ],
  };
};

/** Users with a session, an account, an authenticator and a verification token each; returns their keys. */
async function seedRows(kit: AdapterKit, label: string, count: number): Promise<TargetPool> {
  const pool: TargetPool = { userIds: [], sessionTokens: [], providerAccountIds: [], credentialIDs: [], identifiers: [] };
  for (let i = 0; i < count; i++) {
    const suffix = `${label}-${i}-${Math.random().toString(36).slice(2, 10)}`;
    const user = await kit.authjs.createUser({ email: `${suffix}@hostile.example`, emailVerified: new Date(), name: `${label} ${i}`, image: "https://img.example/a.png" });
    const expires = new Date(Date.now() + 3_600_000);
    await kit.authjs.createSession({ sessionToken: `session-${suffix}`, userId: user.id, expires });
    await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: `gh-${suffix}`, access_token: `at-${suffix}`, refresh_token: `rt-${suffix}` });
    await kit.authjs.createAuthenticator({
      credentialID: `cred-${suffix}`,
      userId: user.id,
      providerAccountId: `pa-${suffix}`,
      credentialPublicKey: "pk",
      counter: 0,
      credentialBackedUp: false,
      credentialDeviceType: "singleDevice",
    });
    await kit.authjs.createVerificationToken({ identifier: user.email, token: `vt-${suffix}`, expires });
    pool.userIds.push(user.id);
    pool.sessionTokens.push(`session-${suffix}`);
    pool.providerAccountIds.push(`gh-${suffix}`);
    pool.credentialIDs.push(`cred-${suffix}`);
    pool.identifiers.push(user.email);
  }
  return pool;
}

/** The string values (16+ characters) in an argument list, a few levels deep. */
function stringsIn(value: unknown, depth = 0, out: string[] = []): string[] {
  if (typeof value === "string") {
    if (value.length >= 16) out.push(value);
  } else if (value && typeof value === "object" && depth < 3 && !(value instanceof Date) && !(value instanceof Map)) {
    for (const v of Object.values(value)) stringsIn(v, depth + 1, out);
  }
  return out;
}
