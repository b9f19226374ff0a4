/**
 * One app instance of campaign 3, in its own process: a kit with the session cache on the shared
 * PostgreSQL database and Redis. During a wave its readers hammer getSessionAndUser (and the v3
 * getSession) while its writer performs the writes it was given at their times; every read's start
 * and every write's resolution are stamped on the shared clock for the parent to compare.
 */
import "reflect-metadata";
import { AsyncLocalStorage } from "node:async_hooks";
import Redis, { Cluster } from "ioredis";
import { sessionCache } from "../../plugins";
import { createAdapterKit, type AdapterKit } from "../../src";
import type { LegacyMethods } from "../../src";
import { sharedNow } from "../support/clock";
import { sleep } from "../support/settle";
import { READ_KINDS, type FromWorker, type ReadKind, type ReadLog, type ToWorker, type WaveSpec, type WriteOp, type WriteResult } from "./protocol";
import { PROBE_AGAIN_MS, STALE_TAB_WITHIN_MS, UserTraffic } from "./userTraffic";

let kit: AdapterKit | undefined;
let v3: LegacyMethods | undefined;
let redis: Redis | Cluster | undefined;
let stopWave: (() => void) | undefined;
let workerIndex = 0;
/** Users traffic: a write the other instance made resolved. */
let onPeerWrote: ((op: WriteOp, ok: boolean) => void) | undefined;
const counts = { hits: 0, misses: 0, bypasses: 0, replicaReads: 0, primaryReads: 0 };
const readReasons: Record<string, number> = {};
/** Database hot reads by what the read was and where it went: "probe:fenced", "traffic:replica", ... */
const kindReasons: Record<string, number> = {};
/** What the call in progress is: the kit's events are emitted synchronously inside it. */
const current = new AsyncLocalStorage<ReadKind>();

const send = (message: FromWorker) => process.send!(message);

/** "w3-u17-v2" -> 2 */
function versionOf(name: unknown): number {
  const match = typeof name === "string" ? /-v(\d+)$/.exec(name) : null;
  return match ? Number(match[1]) : -1;
}

async function init(message: Extract<ToWorker, { type: "init" }>): Promise<void> {
  const { redisPort, prefix } = message;
  const dbUrl = message.database ?? message.dbUrl;
  // As the cache README recommends: fail fast while Redis is away, reconnect quickly.
  redis = message.clusterNodes
    ? new Cluster(message.clusterNodes, { enableOfflineQueue: false, clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 1000 } })
    : new Redis({
        host: "127.0.0.1",
        port: redisPort,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
        connectTimeout: 1000,
        retryStrategy: () => 100,
      });
  redis.on("error", () => undefined);
  kit = createAdapterKit({ database: dbUrl, plugins: [sessionCache({ redis, prefix, secret: "soak-session-cache-secret-0123456789abcdef", ...(message.cacheTtlMs !== undefined && { ttlMs: message.cacheTtlMs }) })] });
  kit.events.on("replica.read", ({ target, reason }) => {
    if (target === "replica") counts.replicaReads++;
    else counts.primaryReads++;
    readReasons[reason] = (readReasons[reason] ?? 0) + 1;
    const key = `${current.getStore() ?? "other"}:${reason}`;
    kindReasons[key] = (kindReasons[key] ?? 0) + 1;
  });
  kit.events.on("cache.request", ({ result }) => {
    if (result === "hit") counts.hits++;
    else if (result === "miss") counts.misses++;
    else counts.bypasses++;
  });
  v3 = await kit.legacy.getAdapter({ secret: "soak-secret" });
  // Ready once a lookup is no longer bypassed: the cache trusts Redis.
  const probe = `probe-${process.pid}`;
  for (let i = 0; i < 200; i++) {
    const before = counts.bypasses;
    await kit.authjs.getSessionAndUser(probe);
    if (counts.bypasses === before) return;
    await sleep(50);
  }
  throw new Error("the session cache never trusted Redis");
}

/** Tokens whose writes happen around now: half the reads aim there, where a stale entry would show. */
function hotPicker(wave: WaveSpec): () => number {
  const times = wave.writes
    .flatMap((w) => (w.kind === "deleteUser" || w.kind === "updateUser" ? wave.tokenUser.flatMap((u, t) => (u === w.target ? [[w.at, t]] : [])) : [[w.at, w.target]]))
    .sort((a, b) => a[0]! - b[0]!) as Array<[number, number]>;
  let from = 0;
  return () => {
    const offset = sharedNow() - wave.startAt;
    if (Math.random() < 0.5 && times.length > 0) {
      while (from < times.length && times[from]![0] < offset - 30) from++;
      let to = from;
      while (to < times.length && times[to]![0] <= offset + 30) to++;
      if (to > from) return times[from + Math.floor(Math.random() * (to - from))]![1];
    }
    return Math.floor(Math.random() * wave.tokens.length);
  };
}

async function runWave(wave: WaveSpec, index: number): Promise<void> {
  const reads: ReadLog = { token: [], start: [], end: [], found: [], version: [], expires: [], kind: [] };
  const writes: WriteResult[] = [];
  const readErrors: string[] = [];
  let readErrorCount = 0;
  let running = true;
  const ended = new Promise<void>((resolve) => {
    stopWave = () => {
      running = false;
      resolve();
    };
  });
  if (wave.durationMs !== undefined) setTimeout(() => stopWave?.(), Math.max(0, wave.startAt + wave.durationMs - sharedNow()));
  await sleep(Math.max(0, wave.startAt - sharedNow()));

  let n = 0;
  /** One request: reads session `t` through either facade and logs what came back. */
  const readOnce = async (t: number, kind: ReadKind) => {
    const token = wave.tokens[t]!;
    const legacy = n++ % 4 === 3; // a quarter of the reads through the v3 facade
    const start = sharedNow();
    try {
      let found = 0;
      let version = -1;
      let expires = 0;
      if (legacy) {
        const session = await current.run(kind, () => v3!.getSession(token));
        if (session) {
          found = 1;
          expires = new Date(session.expires).getTime();
        }
      } else {
        const result = await current.run(kind, () => kit!.authjs.getSessionAndUser(token));
        if (result) {
          found = 1;
          version = versionOf(result.user.name);
          expires = result.session.expires.getTime();
        }
      }
      const end = sharedNow();
      reads.token.push(t);
      reads.start.push(start);
      reads.end.push(end);
      reads.found.push(found);
      reads.version.push(version);
      reads.expires.push(expires);
      reads.kind.push(READ_KINDS.indexOf(kind));
    } catch (error) {
      readErrorCount++;
      if (readErrors.length < 5) readErrors.push(String((error as Error).message ?? error).slice(0, 300));
    }
  };

  const users = wave.traffic === "users" ? new UserTraffic(wave) : undefined;
  const pick = users ? () => users.pick() : hotPicker(wave);
  const reader = async () => {
    let k = 0;
    while (running) {
      // A cache hit settles without I/O: yield now and then, as a server between requests does.
      if (k++ % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
      const t = pick();
      if (t === undefined) await sleep(1);
      else await readOnce(t, "traffic");
    }
  };

  // Users traffic: probes and stale-cookie reads run beside the readers; the wave ends after them.
  const extra: Array<Promise<void>> = [];
  const later = (ms: number, t: number, kind: ReadKind) =>
    extra.push(new Promise<void>((resolve) => setTimeout(() => (running ? readOnce(t, kind) : Promise.resolve()).then(resolve), ms)));
  const resolved = (op: WriteOp, ok: boolean) => {
    if (!users || !running) return;
    const { probe, stale } = users.resolved(op, ok);
    for (const t of probe) {
      extra.push(readOnce(t, "probe"));
      later(PROBE_AGAIN_MS, t, "probe");
    }
    for (const t of stale) later(Math.random() * STALE_TAB_WITHIN_MS, t, "stale-cookie");
  };
  onPeerWrote = resolved;

  const perform = (op: WriteOp): Promise<unknown> => {
    const token = wave.tokens[op.target];
    switch (op.kind) {
      case "deleteSession":
        return op.facade === "legacy" ? v3!.deleteSession(token!) : kit!.authjs.deleteSession(token!);
      case "createSession":
        return kit!.authjs.createSession({ sessionToken: token!, userId: wave.userIds[wave.tokenUser[op.target]!]!, expires: new Date(op.expires!) });
      case "updateSession":
        return kit!.authjs.updateSession({ sessionToken: token!, expires: new Date(op.expires!) });
      case "updateUser":
        return kit!.authjs.updateUser({ id: wave.userIds[op.target]!, name: `w${wave.id}-u${op.target}-v${op.version}` });
      case "deleteUser":
        return op.facade === "legacy" ? v3!.deleteUser(wave.userIds[op.target]!) : kit!.authjs.deleteUser(wave.userIds[op.target]!);
    }
  };

  // One chain per user: a user's writes happen in order; users are written concurrently.
  const mine = wave.writes.filter((w) => w.worker === index);
  const chains = new Map<number, WriteOp[]>();
  for (const w of mine) {
    const user = w.kind === "deleteUser" || w.kind === "updateUser" ? w.target : wave.tokenUser[w.target]!;
    (chains.get(user) ?? chains.set(user, []).get(user)!).push(w);
  }
  const writer = async (ops: WriteOp[]) => {
    for (const op of ops.sort((a, b) => a.at - b.at)) {
      await sleep(Math.max(0, wave.startAt + op.at - sharedNow()));
      if (!running) return;
      const startedAt = sharedNow();
      let ok = true;
      try {
        await current.run("write", () => perform(op));
        writes.push({ op, startedAt, resolvedAt: sharedNow(), ok });
      } catch (error) {
        ok = false;
        writes.push({ op, startedAt, resolvedAt: sharedNow(), ok, error: String((error as Error).message ?? error).slice(0, 300) });
      }
      if (users) {
        send({ type: "wrote", op, ok });
        resolved(op, ok);
      }
    }
  };

  const work = [...Array.from({ length: wave.readers }, reader), ...[...chains.values()].map(writer)];
  await ended;
  await Promise.all(work);
  await Promise.all(extra);
  onPeerWrote = undefined;
  send({ type: "waveDone", id: wave.id, reads, writes, readErrors, readErrorCount });
}

process.on("message", (message: ToWorker) => {
  const fail = (error: unknown) => send({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  switch (message.type) {
    case "init":
      workerIndex = message.index;
      init(message).then(() => send({ type: "ready" }), fail);
      break;
    case "wave":
      runWave(message.wave, workerIndex).catch(fail);
      break;
    case "stop":
      stopWave?.();
      break;
    case "peerWrote":
      onPeerWrote?.(message.op, message.ok);
      break;
    case "stats":
      send({ type: "stats", ...counts, readReasons, kindReasons });
      break;
    case "close":
      (async () => {
        await kit?.close();
        redis?.disconnect();
        send({ type: "closed" });
        process.exit(0);
      })().catch(fail);
      break;
  }
});

// The parent going away ends the worker too: the soak never leaves processes behind.
process.on("disconnect", () => process.exit(0));
