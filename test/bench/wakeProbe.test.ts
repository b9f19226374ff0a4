/**
 * The bench's wake probe (bench/sections/wake.ts) at a tiny size: every figure it reports is a
 * positive number and the report prints them. Timings are not asserted (speed lives in the bench).
 */
import { formatReport } from "../../bench/report";
import { measureWake } from "../../bench/sections/wake";

test("times the kit's HMAC and one encryption, and the report prints both", async () => {
  const wake = await measureWake(6);
  for (const step of [wake.hmac, wake.encrypt]) {
    for (const us of [step.loopUs, step.againUs, step.afterSleepUs]) expect(us).toBeGreaterThan(0);
  }
  const report = formatReport({ meta: {}, implementations: [], workloads: [], notes: {}, wake, targets: [] });
  expect(report).toMatch(/wake probe \(6 wakes/);
  expect(report).toMatch(/session-token HMAC\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+x/);
  expect(report).toMatch(/one account value encrypted\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+x/);
});
