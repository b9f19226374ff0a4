import { createAdapterKit, TYPES, type AdapterKit, type AdapterPlugin, type SessionStore } from "../../src";
import { median } from "../stats";

/** One fresh process's figures (see pipelineForks.ts). */
export interface PipelineFork {
  directNs: number;
  overhead0Ns: number;
  overhead4Ns: number;
}

export interface PipelineResult {
  callsPerSample: number;
  samples: number;
  /** Median CPU ns per awaited call. */
  directNs: number;
  kit0Ns: number;
  kit4Ns: number;
  /** kit.authjs with no plugin and session tokens hashed (the default): one HMAC per call. */
  kitHashedNs: number;
  /** Median over samples of (hashed − kit with raw tokens): what hashing the session token costs. */
  hashingNs: number;
  /** Median over samples of (kit − direct) in the same sample. */
  overhead0Ns: number;
  overhead4Ns: number;
  /** Every fresh process's figures, in the order they ran, when the section ran in forks (the figures above are the median fork's). */
  forks?: PipelineFork[];
}

const noop = (i: number): AdapterPlugin => ({ name: `noop-${i}`, around: (_ctx, next) => next() });

async function seeded(kit: AdapterKit, n: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const user = await kit.call("createUser", { email: `p${i}@example.com`, emailVerified: null, name: `User ${i}` });
    const sessionToken = `pipeline-token-${i.toString().padStart(6, "0")}`;
    await kit.call("createSession", { sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) });
    tokens.push(sessionToken);
  }
  return tokens;
}

/**
 * CPU ns per call of `fn` over `calls` awaited calls. CPU time (user + system) rather than wall
 * time: the loop never waits, so the two agree on an idle machine, and on a shared one CPU time
 * leaves out the time other processes held the core.
 */
async function time(fn: (token: string) => Promise<unknown>, tokens: readonly string[], calls: number): Promise<number> {
  const mask = tokens.length - 1;
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    if ((await fn(tokens[i & mask]!)) === null) throw new Error("pipeline section: lookup found nothing");
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / calls;
}

/**
 * The pipeline's own cost: `kit.authjs.getSessionAndUser` on the in-memory store set (no I/O at all)
 * with no plugin and with 4 no-op plugins, against calling the session store directly. Samples
 * are interleaved like the rounds of the database workloads.
 */
export async function measurePipeline(calls: number, samples: number): Promise<PipelineResult> {
  // Raw tokens for the pipeline's own cost (the direct store call looks tokens up as given); the
  // hashed kit is measured apart.
  const kit0 = createAdapterKit({ stores: "memory", sessionTokens: "raw" });
  const kit4 = createAdapterKit({ stores: "memory", sessionTokens: "raw", plugins: [noop(1), noop(2), noop(3), noop(4)] });
  const kitH = createAdapterKit({ stores: "memory", secret: "bench-secret-0123456789abcdef0123456789" });
  try {
    const size = 1024; // a power of two: the loop picks tokens with a mask
    const [tokens0, tokens4, tokensH] = [await seeded(kit0, size), await seeded(kit4, size), await seeded(kitH, size)];
    const store = kit0.container.get<SessionStore>(TYPES.SessionStore);
    const direct = (token: string) => store.findWithUser!(token);
    const via0 = (token: string) => kit0.authjs.getSessionAndUser(token);
    const via4 = (token: string) => kit4.authjs.getSessionAndUser(token);
    const viaH = (token: string) => kitH.authjs.getSessionAndUser(token);
    // Warm-up: let the JIT settle on every path before measuring.
    for (const [fn, tokens] of [[direct, tokens0], [via0, tokens0], [via4, tokens4], [viaH, tokensH]] as const) await time(fn, tokens, calls);
    const d: number[] = [];
    const k0: number[] = [];
    const k4: number[] = [];
    const kh: number[] = [];
    for (let s = 0; s < samples; s++) {
      d.push(await time(direct, tokens0, calls));
      k0.push(await time(via0, tokens0, calls));
      k4.push(await time(via4, tokens4, calls));
      kh.push(await time(viaH, tokensH, calls));
    }
    return {
      callsPerSample: calls,
      samples,
      directNs: median(d),
      kit0Ns: median(k0),
      kit4Ns: median(k4),
      overhead0Ns: median(k0.map((v, i) => v - d[i]!)),
      overhead4Ns: median(k4.map((v, i) => v - d[i]!)),
      kitHashedNs: median(kh),
      hashingNs: median(kh.map((v, i) => v - k0[i]!)),
    };
  } finally {
    await kit0.close();
    await kit4.close();
    await kitH.close();
  }
}
