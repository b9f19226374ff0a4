/**
 * `npm run bench`: the kit against the raw-`pg` floor and @auth/pg-adapter on the local PostgreSQL
 * (and Redis for the cache's shared tier), in interleaved rounds; prints the tables and the
 * targets and writes bench-results.json. `--quick` for a short run, `--only <workload>` for one part.
 * Everything runs on loopback in databases created for the run and dropped at the end.
 */
import "reflect-metadata";
import { cpus } from "node:os";
import { createImplementations, type Implementation } from "./implementations";
import { parseOptions, selected, UsageError } from "./options";
import { formatReport, writeResults, type BenchResults } from "./report";
import { runWorkload, type WorkloadResult } from "./runner";
import { measureMariaDb } from "./sections/mariadb";
import { measureMemory } from "./sections/memory";
import { measurePipelineInForks } from "./sections/pipelineForks";
import { measureReplicas } from "./sections/replicas";
import { measureScale } from "./sections/scale";
import { measureSecretsAtRest } from "./sections/secretsAtRest";
import { measureWake } from "./sections/wake";
import { BenchDatabases, PG_SERVER, withClient } from "./setup/databases";
import { createKitSchema } from "./setup/kitSchema";
import { createPgAdapterSchema } from "./setup/schemas";
import { readFixtures, seed, type Family, type Fixtures } from "./setup/seed";
import { writeChart } from "./chart";
import { anyMissed, checkTargets } from "./targets";
import { WORKLOADS } from "./workloads";

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Checks every contender answers correctly before anything is timed. */
async function verify(impl: Implementation, f: Fixtures): Promise<void> {
  const found = (await impl.adapter.getSessionAndUser(f.sessionTokens[0]!)) as { session?: { sessionToken?: string } } | null;
  if (found?.session?.sessionToken !== f.sessionTokens[0]) throw new Error(`${impl.name}: getSessionAndUser did not return the seeded session`);
  if (!(await impl.adapter.getUserByAccount(f.accounts[0]!))) throw new Error(`${impl.name}: getUserByAccount found no user`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const { sizes } = options;
  const began = performance.now();
  const deadline = began + sizes.timeLimitMs * 0.8; // rounds stop early past this; the hard limit below ends the process
  const hardStop = setTimeout(() => {
    log(`bench: time limit of ${sizes.timeLimitMs / 1000} s reached, stopping`);
    process.exit(2);
  }, sizes.timeLimitMs);
  hardStop.unref();

  const databases = new BenchDatabases();
  const implementations: Implementation[] = [];
  const workloads: WorkloadResult[] = [];
  const notes: Record<string, unknown> = {};
  const results: Partial<BenchResults> = {};
  try {
    if (selected(options, "wake")) {
      // First, while nothing else of the run has warmed the process.
      log("bench: wake probe (the kit's crypto warm and after the process slept)");
      results.wake = await measureWake(sizes.wakeSamples);
    }
    const dbWorkloads = WORKLOADS.filter((w) => selected(options, w.name));
    if (dbWorkloads.length > 0) {
      log(`bench: seeding ${sizes.population.toLocaleString("en-US")} users, sessions and accounts per database`);
      const kitDb = await databases.create("kit");
      const pgDb = await databases.create("pg");
      await createKitSchema(kitDb.url);
      await withClient(pgDb.url, (c) => createPgAdapterSchema(c));
      const fixtures = {} as Record<Family, Fixtures>;
      for (const [family, url] of [["kit", kitDb.url], ["pg", pgDb.url]] as const) {
        fixtures[family] = await withClient(url, async (c) => {
          await seed(c, family, sizes.population, sizes.population);
          return readFixtures(c, family, sizes.population);
        });
      }
      implementations.push(...(await createImplementations(kitDb.url, pgDb.url)));
      for (const impl of implementations) await verify(impl, fixtures[impl.family]);
      for (const workload of dbWorkloads) {
        log(`bench: ${workload.title}`);
        workloads.push(await runWorkload(workload, implementations, (i) => fixtures[i.family], sizes.ops[workload.name], sizes.rounds, deadline, log));
      }
      for (const impl of implementations) if (impl.notes) notes[impl.name] = impl.notes();
    }
    if (selected(options, "pipeline")) {
      log(`bench: pipeline cost (in ${sizes.pipelineForks} fresh process${sizes.pipelineForks === 1 ? "" : "es"})`);
      results.pipeline = await measurePipelineInForks(sizes.pipelineCalls, sizes.pipelineSamples, sizes.pipelineForks);
    }
    if (selected(options, "secretsAtRest")) {
      log("bench: secrets at rest (encryptAccountTokens, hashed session tokens)");
      results.secretsAtRest = await measureSecretsAtRest(databases, sizes.secretsAtRestOps, sizes.rounds);
    }
    if (selected(options, "scale")) {
      log(`bench: scale (${sizes.scaleSmall.toLocaleString("en-US")} and ${sizes.scaleLarge.toLocaleString("en-US")} sessions)`);
      results.scale = await measureScale(databases, sizes.scaleSmall, sizes.scaleLarge, sizes.scaleOps, sizes.rounds, deadline, log);
    }
    if (selected(options, "mariadb")) {
      log("bench: MariaDB (getSessionAndUser and the sign-in writes against mysql2 prepared statements)");
      const mariadb = await measureMariaDb(sizes.population, sizes.ops, sizes.rounds, deadline, log);
      workloads.push(...mariadb.workloads);
      results.mariadb = mariadb.server;
    }
    if (selected(options, "replicas")) {
      log("bench: read replicas (a primary and a streaming replica of its own)");
      results.replicas = await measureReplicas(sizes.replicaSessions, sizes.replicaReadOps, sizes.replicaWriteOps, sizes.rounds, deadline, log);
    }
    if (selected(options, "memory")) {
      log(`bench: memory (${sizes.memorySessions.toLocaleString("en-US")} cached sessions)`);
      results.memory = await measureMemory(sizes.memorySessions);
    }
  } finally {
    await Promise.allSettled(implementations.map((i) => i.close()));
    await databases.dropAll().catch((error) => log(`bench: could not drop the bench databases: ${error}`));
  }

  const pgVersion = await withClient(`${PG_SERVER}/postgres`, async (c) => (await c.query("show server_version")).rows[0].server_version as string);
  const report: BenchResults = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
      postgres: pgVersion,
      mode: options.quick ? "quick" : "full",
      only: options.only ?? null,
      rounds: sizes.rounds,
      population: sizes.population,
      durationSeconds: Math.round((performance.now() - began) / 1000),
    },
    implementations: implementations.map((i) => ({ name: i.name, description: i.description })),
    workloads,
    notes,
    ...results,
    targets: checkTargets({ workloads, pipeline: results.pipeline, scale: results.scale }),
  };
  console.log(formatReport(report));
  writeResults(options.out, report);
  const chart = options.out.replace(/\.json$/, "") + ".svg";
  writeChart(chart, workloads, `${String(report.meta.date).slice(0, 16)} UTC, ${report.meta.cpus}, Node ${report.meta.node}, PostgreSQL ${report.meta.postgres}, ${report.meta.mode} run, medians over ${sizes.rounds} interleaved rounds`);
  log(`bench: results written to ${options.out} and ${chart} (${report.meta.durationSeconds} s)`);
  if (anyMissed(report.targets)) {
    log(`bench: ${report.targets.filter((t) => t.met === false).length} target(s) missed`);
    return 3;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof UsageError ? error.message : error);
    process.exit(1);
  },
);
