/**
 * Bytes per cached session in the in-process tier. Run:
 *
 *   node -r @swc-node/register --expose-gc plugins/session-cache/test/measure-memory.ts [N] [--json]
 *
 * 1. The tier alone: heap growth (after full GCs) from creating a tier of `max: N` and filling it
 *    with N sessions of a typical shape (uuid ids, an e-mail, a name, an avatar URL, a 64-hex token),
 *    divided by N. Everything the tier keeps counts: the LRU's preallocated slots, the key (the
 *    token's SHA-256 hex), the value (a snapshot, or with `--json` the encoded JSON every entry
 *    held before snapshots), the entry object and the userId index.
 * 2. Cross-check through a kit (memory stores): heap held by a filled cache minus the heap after
 *    clearing it, divided by N (the LRU's preallocated slots stay, so this is a little lower).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createAdapterKit } from "../../../src";
import type { SessionAndUser } from "../../../src/plugin-api";
import { sessionCache } from "..";
import { encode } from "../codec";
import { tokenId } from "../keys";
import { LocalTier } from "../LocalTier";
import { snapshot } from "../snapshot";

const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
const AS_JSON = process.argv.includes("--json");
const EXPIRES = Date.now() + 30 * 24 * 3600 * 1000;

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function typicalSession(i: number): SessionAndUser {
  const id = randomUUID();
  return {
    session: { sessionToken: randomBytes(32).toString("hex"), userId: id, expires: new Date(EXPIRES) },
    user: {
      id,
      email: `user${i}.${randomBytes(3).toString("hex")}@example.com`,
      emailVerified: new Date(),
      name: `User Number ${i}`,
      image: `https://avatars.example.com/u/${randomUUID()}.png`,
    },
  };
}

function tierAlone(): number {
  const before = heap();
  const tier = new LocalTier(N);
  for (let i = 0; i < N; i++) {
    const value = typicalSession(i);
    const json = encode(value)!;
    tier.set(tokenId(value.session.sessionToken), { value: (!AS_JSON && snapshot(value)) || json, userId: value.user.id, expiresAt: EXPIRES }, 3_600_000);
  }
  const after = heap();
  if (tier.size !== N) throw new Error(`expected ${N} entries, got ${tier.size}`);
  return (after - before) / N;
}

async function throughKit(): Promise<number> {
  const cache = sessionCache({ max: N, ttlMs: 3_600_000 });
  const kit = createAdapterKit({ stores: "memory", plugins: [cache] });
  const tokens: string[] = [];
  for (let i = 0; i < N; i++) {
    const { session, user } = typicalSession(i);
    const created = await kit.call("createUser", { ...user, id: undefined });
    await kit.call("createSession", { ...session, userId: created.id });
    tokens.push(session.sessionToken);
  }
  for (const sessionToken of tokens) await kit.call("getSessionAndUser", { sessionToken });
  if (cache.stats().size !== N) throw new Error(`expected ${N} entries, got ${cache.stats().size}`);
  const filled = heap();
  await kit.close(); // clears the in-process tier
  const cleared = heap();
  return (filled - cleared) / N;
}

async function main() {
  const sample = typicalSession(12345);
  console.log(`N = ${N}; a typical encoded entry is ${encode(sample)!.length} characters of JSON`);
  console.log(`tier alone:       ${Math.round(tierAlone())} bytes per cached session`);
  console.log(`through a kit:    ${Math.round(await throughKit())} bytes per cached session (without the LRU's preallocated slots)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
