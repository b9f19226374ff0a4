import { randomBytes } from "node:crypto";
import { encodeValue } from "../../plugins/encrypt-account-tokens/format";
import { keyRing } from "../../plugins/encrypt-account-tokens/keys";
import { HmacSha256 } from "../../src/kernel/hmacSha256";
import { median } from "../stats";

/** What the kit's own per-call crypto costs warm, and right after the process slept. */
export interface WakeResult {
  samples: number;
  /** Median µs of one session-token HMAC (what hashed tokens add to a session read). */
  hmac: WakeStep;
  /** The same for one account value encrypted (`linkAccount` encrypts two or three). */
  encrypt: WakeStep;
}

export interface WakeStep {
  /** Mean µs a call in a tight loop of 1,000. */
  loopUs: number;
  /** Median µs of the call made again at once after the first one after the sleep. */
  againUs: number;
  /** Median µs of the first call after a 1 ms sleep. */
  afterSleepUs: number;
}

const SLEEP_MS = 1;

/**
 * Why the same code gives other ratios on other machines: a database call leaves the process
 * asleep for a few hundred µs, and whatever ran meanwhile may evict the code and data of the
 * calls that come next. Each step is timed in a tight loop, as the first call after a 1 ms timer,
 * and once more at once after that. Printed beside the figures, never checked.
 */
export async function measureWake(samples: number): Promise<WakeResult> {
  const hmac = new HmacSha256(randomBytes(32));
  const ring = keyRing([{ id: "wake", key: randomBytes(32) }]);
  const token = randomBytes(24).toString("base64url");
  const value = `gho_${randomBytes(150).toString("hex")}`;
  const where = { provider: "github", providerAccountId: "gh-1", field: "access_token" };
  const steps = {
    hmac: () => hmac.base64url(token),
    encrypt: () => encodeValue(value, ring, where),
  };
  const timed = (step: () => unknown, calls = 1) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) step();
    return Number(process.hrtime.bigint() - started) / 1000 / calls;
  };
  const times = { hmac: { loop: 0, again: [] as number[], afterSleep: [] as number[] }, encrypt: { loop: 0, again: [] as number[], afterSleep: [] as number[] } };
  for (const name of ["hmac", "encrypt"] as const) {
    timed(steps[name], 2000); // the JIT's turn
    times[name].loop = timed(steps[name], 1000);
  }
  for (let i = 0; i < samples; i++) {
    await new Promise((resolve) => setTimeout(resolve, SLEEP_MS));
    // The first call after the wait, then the same call again at once.
    const name = i % 2 === 0 ? "hmac" : "encrypt";
    times[name].afterSleep.push(timed(steps[name]));
    times[name].again.push(timed(steps[name]));
  }
  const summary = (t: (typeof times)["hmac"]): WakeStep => ({ loopUs: t.loop, againUs: median(t.again), afterSleepUs: median(t.afterSleep) });
  return { samples, hmac: summary(times.hmac), encrypt: summary(times.encrypt) };
}
