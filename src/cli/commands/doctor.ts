import type { KitHealth, ProbeResult } from "../../health/types";
import { checkLayout } from "../../persistence/mikro-orm/Migrations";
import { expectPositionals } from "../args";
import { CliError, EXIT } from "../CliError";
import type { Command } from "../command";
import { timeoutMs, type CommandContext } from "../context";
import type { Finding } from "../checks/finding";
import { probeRedisUrl } from "../checks/redisProbe";
import { schemaFindings } from "../checks/schemaFindings";

/** `doctor`: connects, compares the kit's tables with the entities, checks replicas, Redis and migrations. */
export const doctor: Command = {
  name: "doctor",
  summary: "check the database, the kit's tables against the entities, migrations, replicas and Redis; say how to fix each problem",
  help: `[--redis <url>]

  --redis <url>      a Redis to check (default: $REDIS_URL) when no plugin in --config owns one

Exit code 1 when it found a problem.`,
  options: { redis: { type: "string" } },
  async run(context) {
    expectPositionals(context.args, 0);
    const ms = timeoutMs(context.args);
    const redisUrl = (context.args.values.redis as string | undefined) ?? context.env.REDIS_URL;
    context.out.secret(redisUrl);
    const kit = await context.kit();
    const health = await kit.health({ timeoutMs: ms });
    if (health.database.state === "none") throw new CliError("the configured kit uses memory stores: there is no database to check");
    if (health.database.state !== "up") throw new CliError(`cannot reach the database: ${health.database.reason ?? health.database.state}`);

    const orm = await (await context.connection()).get();
    const defaultLayout = isDefaultLayout(orm);
    const fixTables = !defaultLayout
      ? "run the SQL below, or `kit.synchronize()` once (it never drops), or a migration generated from the entities your config gives the kit (MikroORM CLI)"
      : health.migrationsPending.state === "pending"
        ? "run `nextauth-adapter-kit migrate up`"
        : "run the SQL below (the kit's migrations are applied: the table was changed after them)";
    const schema = await schemaFindings(orm, fixTables);
    const redis = health.redis.state === "none" && redisUrl ? await probeRedisUrl(redisUrl, ms) : health.redis;
    const findings = [...schema.findings, ...migrationFindings(health, schema.findings.length > 0), ...replicaFindings(health), ...redisFindings(redis)];
    const problems = findings.filter((f) => f.severity === "problem");

    context.out.document({ ok: problems.length === 0, health: { ...health, redis }, findings, sql: schema.sql || null });
    report(context, health, redis, findings, schema.sql, defaultLayout);
    return problems.length > 0 ? EXIT.PROBLEMS : EXIT.OK;
  },
};

function isDefaultLayout(orm: Parameters<typeof checkLayout>[0]): boolean {
  try {
    checkLayout(orm);
    return true;
  } catch {
    return false;
  }
}

function migrationFindings(health: KitHealth, schemaDiffers: boolean): Finding[] {
  const m = health.migrationsPending;
  if (m.state === "pending") {
    return [{ check: "migrations", subject: "auth_kit_migrations", severity: "problem", problem: `${m.pending} kit migration(s) not applied: ${m.names.join(", ")}`, fix: "run `nextauth-adapter-kit migrate up`" }];
  }
  if (m.state === "unknown" && !schemaDiffers) return [];
  if (m.state !== "current" && m.state !== "unknown") {
    return [{ check: "migrations", subject: "auth_kit_migrations", severity: "problem", problem: `the migrations table could not be read (${m.reason ?? m.state})`, fix: "run `nextauth-adapter-kit migrate status` once the database answers" }];
  }
  return [];
}

function replicaFindings(health: KitHealth): Finding[] {
  return health.replicas.replicas
    .filter((r) => r.state !== "up")
    .map((r) => ({
      check: "replicas",
      subject: r.name,
      severity: "problem" as const,
      problem: `replica ${r.name} is ${r.state === "timeout" ? "not answering" : "down"} (${r.reason ?? r.state}); reads go to the primary meanwhile`,
      fix: "check that it runs and accepts the kit's connections (host, port, credentials, pg_hba.conf)",
    }));
}

function redisFindings(redis: ProbeResult): Finding[] {
  if (redis.state === "up" || redis.state === "none") return [];
  return [
    {
      check: "redis",
      subject: "redis",
      severity: "problem",
      problem: `Redis is ${redis.state === "timeout" ? "not answering" : "down"} (${redis.reason ?? redis.state}): the session cache bypasses itself and reads the database`,
      fix: "check that Redis runs and the URL (host, port, password, TLS) is right",
    },
  ];
}

function state(probe: ProbeResult, none = "none configured"): string {
  if (probe.state === "none") return none;
  return `${probe.state}${probe.latencyMs !== null ? ` (${probe.latencyMs} ms)` : ""}${probe.state !== "up" && probe.reason ? `: ${probe.reason}` : ""}`;
}

function report(context: CommandContext, health: KitHealth, redis: ProbeResult, findings: Finding[], sql: string, defaultLayout: boolean): void {
  const { out } = context;
  const m = health.migrationsPending;
  out.line(`database    ${state(health.database)}`);
  out.line(`replicas    ${health.replicas.state === "none" ? "none configured" : health.replicas.replicas.map((r) => `${r.name} ${state(r)}`).join(", ")}`);
  out.line(`redis       ${state(redis, "none configured (set REDIS_URL or --redis to check one)")}`);
  const unknown = defaultLayout ? `unknown (${m.reason})` : "not applicable (custom layout: the shipped migrations cover the default tables only)";
  out.line(`migrations  ${m.state === "pending" ? `${m.pending} pending` : m.state === "unknown" ? unknown : m.state}`);
  const schemaProblems = findings.filter((f) => f.check === "schema" && f.severity === "problem").length;
  out.line(`schema      ${schemaProblems === 0 ? "the kit's tables match the entities" : `${schemaProblems} difference(s) from the entities`}`);
  const problems = findings.filter((f) => f.severity === "problem");
  const notes = findings.filter((f) => f.severity === "note");
  if (problems.length > 0) {
    out.line();
    out.line(`${problems.length} problem(s):`);
    for (const f of problems) {
      out.line(`  x ${f.problem}`);
      out.line(`    fix: ${f.fix}`);
    }
  }
  if (notes.length > 0) {
    out.line();
    out.line("notes:");
    for (const f of notes) {
      out.line(`  - ${f.problem}`);
      out.line(`    ${f.fix}`);
    }
  }
  if (sql) {
    out.line();
    out.line("SQL that brings the kit's tables in line with the entities (review it before running):");
    for (const line of sql.split("\n")) out.line(`  ${line}`);
  }
  if (problems.length === 0) {
    out.line();
    out.line("no problems found");
  }
}
