/** Command-line options of `npm run bench` and the sizes they imply. */

export const WORKLOAD_NAMES = [
  "getSessionAndUser",
  "getSessionAndUser:cached",
  "getSessionAndUser@32",
  "createSession",
  "verificationToken",
  "createUser",
  "linkAccount",
  "getUserByAccount",
  "pipeline",
  "secretsAtRest",
  "scale",
  "memory",
  "mariadb",
  "replicas",
  "wake",
] as const;

export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export interface Sizes {
  /** Measured rounds per workload (one more, unmeasured, warms up). */
  rounds: number;
  /** Users, sessions and accounts seeded per database. */
  population: number;
  /** Operations per implementation per round, by workload. */
  ops: Record<"getSessionAndUser" | "getSessionAndUser:cached" | "getSessionAndUser@32" | "createSession" | "verificationToken" | "createUser" | "linkAccount" | "getUserByAccount", number>;
  /** Calls per sample and samples in the pipeline-cost section. */
  pipelineCalls: number;
  pipelineSamples: number;
  /** Fresh processes the pipeline section runs in, one after the other (the median one counts). */
  pipelineForks: number;
  /** Calls per round of the secrets-at-rest section (linkAccount, getAccount, getSessionAndUser). */
  secretsAtRestOps: number;
  /** Session counts of the scale section. */
  scaleSmall: number;
  scaleLarge: number;
  scaleOps: number;
  /** Sessions cached in the memory section. */
  memorySessions: number;
  /** Replicas section: sessions seeded, reads and writes per kit per round. */
  replicaSessions: number;
  replicaReadOps: number;
  replicaWriteOps: number;
  /** Samples of the wake probe (half of them per step). */
  wakeSamples: number;
  /** Hard limit on the whole run, in ms: the program stops by itself. */
  timeLimitMs: number;
}

export interface BenchOptions {
  quick: boolean;
  only: WorkloadName | undefined;
  sizes: Sizes;
  /** Where the JSON results go. */
  out: string;
}

// Many short rounds rather than a few long ones: on a shared machine the load changes within
// seconds, and the shorter a round, the more alike the contenders next to each other fare.
const FULL: Sizes = {
  rounds: 25,
  population: 5000,
  ops: { getSessionAndUser: 800, "getSessionAndUser:cached": 800, "getSessionAndUser@32": 1600, createSession: 200, verificationToken: 120, createUser: 200, linkAccount: 200, getUserByAccount: 800 },
  pipelineCalls: 200_000,
  pipelineSamples: 11,
  pipelineForks: 3,
  secretsAtRestOps: 1000,
  scaleSmall: 10_000,
  scaleLarge: 1_000_000,
  scaleOps: 800,
  memorySessions: 100_000,
  replicaSessions: 5000,
  replicaReadOps: 400,
  replicaWriteOps: 100,
  wakeSamples: 600,
  timeLimitMs: 20 * 60_000,
};

const QUICK: Sizes = {
  rounds: 3,
  population: 2000,
  ops: { getSessionAndUser: 300, "getSessionAndUser:cached": 300, "getSessionAndUser@32": 640, createSession: 100, verificationToken: 60, createUser: 100, linkAccount: 100, getUserByAccount: 300 },
  pipelineCalls: 20_000,
  pipelineSamples: 5,
  pipelineForks: 1,
  secretsAtRestOps: 200,
  scaleSmall: 10_000,
  scaleLarge: 100_000,
  scaleOps: 300,
  memorySessions: 10_000,
  replicaSessions: 2000,
  replicaReadOps: 200,
  replicaWriteOps: 50,
  wakeSamples: 200,
  timeLimitMs: 5 * 60_000,
};

/** A bad command line: reported as its message and the usage, without a stack. */
export class UsageError extends Error {}

const USAGE = `usage: npm run bench -- [--quick] [--only <${WORKLOAD_NAMES.join("|")}>] [--out <file>]`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let only: WorkloadName | undefined;
  let out = "bench-results.json";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick") quick = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg.includes("=") ? arg.slice("--only=".length) : argv[++i];
      if (!(WORKLOAD_NAMES as readonly string[]).includes(value ?? "")) throw new UsageError(`unknown workload "${value}"\n${USAGE}`);
      only = value as WorkloadName;
    } else if (arg === "--out") out = argv[++i] ?? out;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown option "${arg}"\n${USAGE}`);
  }
  return { quick, only, sizes: quick ? QUICK : FULL, out };
}

/** True when the run includes `name`. */
export function selected(options: BenchOptions, name: WorkloadName): boolean {
  return options.only === undefined || options.only === name;
}
