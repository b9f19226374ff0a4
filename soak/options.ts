/** Command-line options of `npm run soak` and the sizes each mode implies. */

export const CAMPAIGN_NAMES = [
  "singleUse",
  "concurrentSignups",
  "cacheCoherence",
  "databaseFaults",
  "hostileInput",
  "secrets",
  "identityMap",
  "replicas",
  "cluster",
] as const;

export type CampaignName = (typeof CAMPAIGN_NAMES)[number];

/** The campaigns that also run on MariaDB (`--database mariadb`); the others need PostgreSQL or Redis internals. */
export const MARIADB_CAMPAIGNS: readonly CampaignName[] = ["singleUse", "concurrentSignups", "databaseFaults", "hostileInput"];

/** `postgresql` (default), or `mariadb` through either driver: `mariadb` (the MariaDB connector) or `mysql` (mysql2). */
export type SoakDatabaseKind = "postgresql" | "mariadb" | "mysql";

export interface Sizes {
  /** Campaign 1: rounds per (facade, kit) cell; four cells. */
  singleUseRounds: number;
  /** Campaign 1: callers racing for one token. */
  singleUseCallers: number;
  /** Campaign 2: rounds (one e-mail and one provider account each). */
  signupRounds: number;
  signupCallers: number;
  /** Campaign 3: waves of sessions that readers hammer while writers change them. */
  coherenceWaves: number;
  coherenceUsersPerWave: number;
  coherenceWaveMs: number;
  /** Campaign `replicas`: users per wave, each signed in before it (its waves have campaign 3's count and length). */
  replicaUsersPerWave: number;
  /** Campaign 3, Redis outage: steady reading before the kill, time Redis stays down. */
  outageBeforeMs: number;
  outageDownMs: number;
  /** Campaign 4: concurrent callers, backend terminations and the pause between them. */
  faultCallers: number;
  faultTerminations: number;
  faultIntervalMs: number;
  /** Campaign 5: generated calls per facade method (hostile values), and per method with SQL payloads. */
  fuzzRunsPerMethod: number;
  injectionRunsPerMethod: number;
  /** Campaign 6: full sign-ins per flow. */
  signInRepeats: number;
  /** Campaign 7: rounds of 64 concurrent operations. */
  isolationRounds: number;
  /** Hard limit on the whole run, in ms: the program stops by itself. */
  timeLimitMs: number;
}

export interface SoakOptions {
  quick: boolean;
  /** The database the campaigns run on (`--database`). */
  database: SoakDatabaseKind;
  /** Restart the machine's PostgreSQL once during campaign 4 (full runs only; skipped while other clients are connected). */
  restartPostgres: boolean;
  /** Freeze (SIGSTOP) the backends of campaign 4's database for longer than the hung threshold: a server that stops answering. */
  freezePostgres: boolean;
  only: CampaignName[] | undefined;
  seed: number;
  sizes: Sizes;
  /** Where the JSON report goes. */
  out: string;
}

const FULL: Sizes = {
  singleUseRounds: 2500,
  singleUseCallers: 8,
  signupRounds: 1000,
  signupCallers: 8,
  coherenceWaves: 6,
  coherenceUsersPerWave: 120,
  coherenceWaveMs: 10_000,
  replicaUsersPerWave: 600,
  outageBeforeMs: 4000,
  outageDownMs: 5000,
  faultCallers: 16,
  faultTerminations: 20,
  faultIntervalMs: 2000,
  fuzzRunsPerMethod: 600,
  injectionRunsPerMethod: 60,
  signInRepeats: 20,
  isolationRounds: 200,
  timeLimitMs: 40 * 60_000,
};

const QUICK: Sizes = {
  singleUseRounds: 250,
  singleUseCallers: 8,
  signupRounds: 100,
  signupCallers: 8,
  coherenceWaves: 1,
  coherenceUsersPerWave: 60,
  coherenceWaveMs: 4000,
  replicaUsersPerWave: 300,
  outageBeforeMs: 2000,
  outageDownMs: 2500,
  faultCallers: 12,
  faultTerminations: 3,
  faultIntervalMs: 1500,
  fuzzRunsPerMethod: 50,
  injectionRunsPerMethod: 6,
  signInRepeats: 3,
  isolationRounds: 30,
  timeLimitMs: 4 * 60_000,
};

const USAGE = `usage: npm run soak -- [--quick] [--database postgresql|mariadb|mysql] [--restart-postgres] [--freeze-postgres] [--only <${CAMPAIGN_NAMES.join("|")}>[,...]] [--seed <n>] [--out <file>]`;

export function parseOptions(argv: readonly string[]): SoakOptions {
  let quick = false;
  let restartPostgres = false;
  let freezePostgres = false;
  let only: CampaignName[] | undefined;
  let seed = Date.now() % 2_147_483_647;
  let out = "reliability-report.json";
  let database: SoakDatabaseKind = "postgresql";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => (arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i]) ?? "";
    if (arg === "--quick") quick = true;
    else if (arg === "--restart-postgres") restartPostgres = true;
    else if (arg === "--database" || arg.startsWith("--database=")) {
      const kind = value();
      if (kind !== "postgresql" && kind !== "mariadb" && kind !== "mysql") throw new Error(`--database must be postgresql, mariadb or mysql\n${USAGE}`);
      database = kind;
    }
    else if (arg === "--freeze-postgres") freezePostgres = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      only = value().split(",").map((name) => {
        if (!(CAMPAIGN_NAMES as readonly string[]).includes(name)) throw new Error(`unknown campaign "${name}"\n${USAGE}`);
        return name as CampaignName;
      });
    } else if (arg === "--seed" || arg.startsWith("--seed=")) {
      seed = Number(value());
      if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`);
    } else if (arg === "--out" || arg.startsWith("--out=")) out = value() || out;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option "${arg}"\n${USAGE}`);
  }
  if (quick && restartPostgres) throw new Error("--restart-postgres is for full runs only: a restart breaks every other client of the shared server");
  if (database !== "postgresql") {
    if (restartPostgres || freezePostgres) throw new Error(`--restart-postgres and --freeze-postgres are for PostgreSQL runs\n${USAGE}`);
    const refused = only?.filter((name) => !MARIADB_CAMPAIGNS.includes(name)) ?? [];
    if (refused.length > 0) throw new Error(`on MariaDB the soak runs ${MARIADB_CAMPAIGNS.join(", ")}; not ${refused.join(", ")}`);
    only ??= [...MARIADB_CAMPAIGNS];
  }
  return { quick, database, restartPostgres, freezePostgres, only, seed, sizes: quick ? QUICK : FULL, out };
}
