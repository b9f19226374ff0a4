/**
 * `npm run soak`: reliability and security campaigns against real PostgreSQL and Redis on
 * loopback (a database per campaign, created for the run and dropped at the end; the Redis
 * servers the cache campaigns kill are the soak's own). Bounded in count and time, stops by
 * itself, writes reliability-report.json and prints a short table.
 *
 *   npm run soak                       full run
 *   npm run soak -- --quick            CI-sized run (what test/reliability/soak.test.ts runs)
 *   npm run soak -- --restart-postgres full run that also restarts the machine's PostgreSQL once
 *                                      (skipped while other clients are connected to the server)
 *   npm run soak -- --freeze-postgres  also stops (SIGSTOP) campaign 4's backends for longer than
 *                                      the hung-call threshold: a server that stops answering
 *   npm run soak -- --only secrets,identityMap
 *   npm run soak -- --database mariadb single use, concurrent sign-ups, database faults and hostile
 *                                      input on the MariaDB server (`--database mysql`: through mysql2)
 *
 * Exit code: 0 when every loss figure is 0, 1 otherwise, 2 when the time limit stopped the run.
 */
import "reflect-metadata";
import { cpus } from "node:os";
import { CONNECTION_DEFAULTS } from "../src/persistence/mikro-orm/resolveDatabase";
import { cacheCoherence, CACHE_TIMEOUTS } from "./campaigns/cacheCoherence";
import { concurrentSignups } from "./campaigns/concurrentSignups";
import { databaseFaults } from "./campaigns/databaseFaults";
import { hostileInput } from "./campaigns/hostileInput";
import { cluster } from "./campaigns/cluster";
import { identityMap } from "./campaigns/identityMap";
import { replicas } from "./campaigns/replicas";
import { secrets } from "./campaigns/secrets";
import { singleUse } from "./campaigns/singleUse";
import { CAMPAIGN_NAMES, parseOptions, type CampaignName } from "./options";
import { failures, formatTable, loss, writeReport, type SoakReport } from "./report";
import type { Campaign } from "./support/context";
import { dropAbandonedMariaDb, MariaDbSoakServer, mariaDbVersion } from "./support/mariadb";
import { dropAbandoned, serverVersion, SoakDatabases } from "./support/postgres";
import { faultMark, faultsSince, watchProcessFaults } from "./support/processFaults";
import { redisVersion } from "./support/redisServer";
import { doing, startWatchdog } from "./support/watchdog";

const CAMPAIGNS: Record<CampaignName, Campaign> = {
  singleUse,
  concurrentSignups,
  cacheCoherence,
  databaseFaults,
  hostileInput,
  secrets,
  identityMap,
  replicas,
  cluster,
};

/** How long one adapter call may take before it counts as hung (above the pool acquire and statement timeouts). */
const SETTLE_TIMEOUT_MS = 20_000;
/** How long the event loop may stay blocked before the watchdog kills the run. */
const BLOCKED_LIMIT_MS = 30_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  watchProcessFaults();
  startWatchdog(BLOCKED_LIMIT_MS);
  const began = performance.now();
  const onMariaDb = options.database !== "postgresql";
  const databases = new SoakDatabases(onMariaDb ? new MariaDbSoakServer(options.database === "mysql" ? "mysql" : "mariadb") : undefined);
  const hardStop = setTimeout(() => {
    log(`soak: time limit of ${options.sizes.timeLimitMs / 1000} s reached, stopping`);
    const exit = () => process.exit(2);
    setTimeout(exit, 5000).unref();
    databases.dropAll().finally(exit);
  }, options.sizes.timeLimitMs);
  hardStop.unref();

  const report: SoakReport = {
    generatedAt: new Date().toISOString(),
    mode: options.quick ? "quick" : "full",
    seed: options.seed,
    seconds: 0,
    environment: {
      node: process.version,
      cpus: cpus().length,
      ...(onMariaDb ? { mariadb: await mariaDbVersion(), driver: options.database } : { postgres: await serverVersion() }),
      redis: redisVersion(),
    },
    timeouts: {
      poolAcquireTimeoutMs: CONNECTION_DEFAULTS.acquireTimeoutMillis,
      statementTimeoutMs: CONNECTION_DEFAULTS.statementTimeoutMillis,
      hungCallThresholdMs: SETTLE_TIMEOUT_MS,
      ...CACHE_TIMEOUTS,
    },
    campaigns: {},
    failures: [],
    ok: false,
  };
  log(`soak: ${report.mode} run on ${options.database}, seed ${options.seed}`);
  const abandoned = onMariaDb ? await dropAbandonedMariaDb() : await dropAbandoned();
  if (abandoned.length > 0) log(`soak: dropped databases of runs that are gone: ${abandoned.join(", ")}`);
  try {
    for (const name of CAMPAIGN_NAMES) {
      if (options.only && !options.only.includes(name)) continue;
      const started = performance.now();
      const mark = faultMark();
      log(`soak: campaign ${name}`);
      doing(`campaign ${name}`);
      const deadline = began + options.sizes.timeLimitMs * 0.85;
      try {
        const outcome = await CAMPAIGNS[name]({ options, sizes: options.sizes, databases, log, deadline, settleTimeoutMs: SETTLE_TIMEOUT_MS });
        report.campaigns[name] = { ...outcome, seconds: round((performance.now() - started) / 1000) };
      } catch (error) {
        log(`soak: campaign ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
        report.campaigns[name] = {
          title: name,
          seconds: round((performance.now() - started) / 1000),
          figures: {},
          details: {},
          notes: [],
          error: error instanceof Error ? error.message : String(error),
        };
      }
      const faults = faultsSince(mark);
      const campaign = report.campaigns[name]!;
      campaign.details.processFaults = faults;
      if (faults.length > 0) campaign.figures.processFaults = loss(faults.length);
    }
  } finally {
    await databases.dropAll().catch((error) => log(`soak: could not drop databases: ${String(error)}`));
  }
  report.seconds = round((performance.now() - began) / 1000);
  report.failures = failures(report.campaigns);
  report.ok = report.failures.length === 0;
  writeReport(options.out, report);
  console.log(formatTable(report));
  log(`soak: report written to ${options.out}`);
  return report.ok ? 0 : 1;
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`soak: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
