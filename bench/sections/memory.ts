import { randomBytes, randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createAdapterKit } from "../../src";
import { sessionCache } from "../../plugins";

export interface MemoryResult {
  sessions: number;
  /** Heap held by the filled in-process tier, per cached session (LRU slots, keys, values, index). */
  bytesPerSession: number;
  heapBeforeMB: number;
  heapAfterMB: number;
}

/** A full garbage collection, without needing `node --expose-gc` on the command line. */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  return () => {
    for (let i = 0; i < 3; i++) gc();
  };
}

/**
 * Bytes per cached session: sessions of a typical shape (uuid ids, an e-mail, a name, an avatar
 * URL, a 64-hex token) live in the in-memory stores first; the heap is measured, then a session
 * cache sized for all of them is added and every session read once through the kit; the heap
 * growth divided by the count is what each cached session costs (the LRU's slots included).
 */
export async function measureMemory(n: number): Promise<MemoryResult> {
  const gc = collector();
  const kit = createAdapterKit({ stores: "memory", sessionTokens: "raw" });
  try {
    const tokens: string[] = [];
    const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    for (let i = 0; i < n; i++) {
      const user = await kit.call("createUser", {
        email: `user${i}.${randomBytes(3).toString("hex")}@example.com`,
        emailVerified: new Date(),
        name: `User Number ${i}`,
        image: `https://avatars.example.com/u/${randomUUID()}.png`,
      });
      const sessionToken = randomBytes(32).toString("hex");
      await kit.call("createSession", { sessionToken, userId: user.id, expires });
      tokens.push(sessionToken);
    }
    // Serialising every stored row once flattens V8's concatenated strings in place (the cache's own
    // JSON encoding would do it during the fill and free more than the cache takes, hiding its cost).
    for (const token of tokens) JSON.stringify(await kit.authjs.getSessionAndUser(token));
    gc();
    const before = process.memoryUsage().heapUsed;
    const cache = sessionCache({ max: n, ttlMs: 3_600_000 });
    kit.use(cache);
    for (const token of tokens) await kit.authjs.getSessionAndUser(token);
    gc();
    const after = process.memoryUsage().heapUsed;
    const size = cache.stats().size;
    if (size !== n) throw new Error(`memory section: expected ${n} cached sessions, the cache holds ${size}`);
    return { sessions: n, bytesPerSession: (after - before) / n, heapBeforeMB: before / 2 ** 20, heapAfterMB: after / 2 ** 20 };
  } finally {
    await kit.close();
  }
}
