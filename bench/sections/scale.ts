import { floor } from "../implementations/floor";
import { kitFullPlain } from "../implementations/kitFull";
import type { Implementation } from "../implementations/types";
import { runWorkload, type WorkloadResult } from "../runner";
import type { BenchDatabases } from "../setup/databases";
import { withClient } from "../setup/databases";
import { addKitSessions, readFixtures, seed, type Fixtures } from "../setup/seed";
import { getSessionAndUserSequential } from "../workloads/getSessionAndUser";
import { createKitSchema } from "../setup/kitSchema";

export interface ScaleResult {
  small: number;
  large: number;
  /** Seconds spent inserting the large table's sessions. */
  seedSeconds: number;
  run: WorkloadResult;
  /** p50 at `large` divided by p50 at `small`, per contender (medians over interleaved rounds). */
  p50Ratio: Record<string, number>;
}

const USERS = 10_000;
/** Large inserts go in steps so each statement stays short and its progress shows. */
const STEP = 250_000;

/**
 * getSessionAndUser latency with `small` and with `large` sessions in the table: two databases
 * with the kit's schema, the same users, and interleaved rounds on both, kit full (cache off) and
 * the floor, with lookups spread over the whole table ("kit full -secrets": raw session tokens; a
 * hashed lookup is the same index lookup).
 */
export async function measureScale(
  databases: BenchDatabases,
  small: number,
  large: number,
  ops: number,
  rounds: number,
  deadline: number,
  progress: (line: string) => void,
): Promise<ScaleResult> {
  const dbSmall = await databases.create("scale_small");
  const dbLarge = await databases.create("scale_large");
  await createKitSchema(dbSmall.url);
  await createKitSchema(dbLarge.url);
  await withClient(dbSmall.url, (c) => seed(c, "kit", USERS, small));
  const started = performance.now();
  await withClient(dbLarge.url, async (c) => {
    await seed(c, "kit", USERS, Math.min(large, STEP));
    for (let from = STEP + 1; from <= large; from += STEP) {
      await addKitSessions(c, USERS, from, Math.min(large, from + STEP - 1));
      progress(`  scale: ${Math.min(large, from + STEP - 1).toLocaleString("en-US")} sessions inserted`);
    }
    await c.query("vacuum analyze sessions");
  });
  const seedSeconds = (performance.now() - started) / 1000;
  const fixtures = new Map<string, Fixtures>();
  const sample = Math.min(5000, small);
  const fSmall = await withClient(dbSmall.url, (c) => readFixtures(c, "kit", sample));
  const fLarge = await withClient(dbLarge.url, (c) => readFixtures(c, "kit", sample));
  const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
  const contenders: [Implementation, Fixtures][] = [
    [rename(floor(dbSmall.url), `floor @${label(small)}`), fSmall],
    [rename(kitFullPlain(dbSmall.url), `kit full @${label(small)}`), fSmall],
    [rename(floor(dbLarge.url), `floor @${label(large)}`), fLarge],
    [rename(kitFullPlain(dbLarge.url), `kit full @${label(large)}`), fLarge],
  ];
  for (const [impl, f] of contenders) fixtures.set(impl.name, f);
  try {
    const run = await runWorkload(getSessionAndUserSequential as never, contenders.map(([i]) => i), (i) => fixtures.get(i.name)!, ops, rounds, deadline, progress, `floor @${label(small)}`);
    const p50 = (name: string) => run.implementations[name]!.p50Us;
    return {
      small,
      large,
      seedSeconds,
      run,
      p50Ratio: {
        floor: p50(`floor @${label(large)}`) / p50(`floor @${label(small)}`),
        "kit full": p50(`kit full @${label(large)}`) / p50(`kit full @${label(small)}`),
      },
    };
  } finally {
    for (const [impl] of contenders) await impl.close();
  }
}

function rename(impl: Implementation, name: string): Implementation {
  return { ...impl, name, close: () => impl.close(), notes: impl.notes && (() => impl.notes!()) };
}
