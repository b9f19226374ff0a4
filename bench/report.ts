import { writeFileSync } from "node:fs";
import { fixed, int } from "./format";
import type { WorkloadResult } from "./runner";
import type { MemoryResult } from "./sections/memory";
import type { PipelineResult } from "./sections/pipelineCost";
import { replicasTable, type ReplicasResult } from "./sections/replicasReport";
import type { SecretsAtRestResult } from "./sections/secretsAtRest";
import type { ScaleResult } from "./sections/scale";
import type { WakeResult } from "./sections/wake";
import type { TargetCheck } from "./targets";

export interface BenchResults {
  meta: Record<string, unknown>;
  implementations: { name: string; description: string }[];
  workloads: WorkloadResult[];
  notes: Record<string, unknown>;
  pipeline?: PipelineResult;
  secretsAtRest?: SecretsAtRestResult;
  scale?: ScaleResult;
  memory?: MemoryResult;
  replicas?: ReplicasResult;
  wake?: WakeResult;
  /** The MariaDB server's version when the MariaDB section ran (its tables are among `workloads`, as `mariadb:...`). */
  mariadb?: string;
  targets: TargetCheck[];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}

export function workloadTable(w: WorkloadResult, baseline = "floor"): string {
  const head = [["implementation", "ops/s", "p50 us", "p99 us", `x ${baseline}`]];
  const rows = Object.entries(w.implementations).map(([name, s]) => [name, int(s.opsPerSec), fixed(s.p50Us), fixed(s.p99Us), fixed(s.ratioToFloor, 2)]);
  return `${w.title} (${w.opsPerRound} ops x ${w.rounds} rounds, medians over rounds)\n${table([...head, ...rows])}`;
}

/** The human-readable report: every table, then the targets with the figures next to them. */
export function formatReport(r: BenchResults): string {
  const out: string[] = [];
  for (const w of r.workloads) out.push(workloadTable(w));
  if (r.pipeline) {
    const p = r.pipeline;
    out.push(
      `pipeline cost (in-memory stores, ${p.callsPerSample.toLocaleString("en-US")} calls x ${p.samples} samples, ns per call)\n` +
        table([
          ["path", "ns/call", "over direct"],
          ["direct store call (findWithUser)", int(p.directNs), "-"],
          ["kit.authjs, no plugin", int(p.kit0Ns), int(p.overhead0Ns)],
          ["kit.authjs, 4 no-op plugins", int(p.kit4Ns), int(p.overhead4Ns)],
          ["kit.authjs, no plugin, session tokens hashed", int(p.kitHashedNs), `${int(p.hashingNs)} over raw tokens`],
        ]) +
        (p.forks && p.forks.length > 1
          ? `\n  the median of ${p.forks.length} fresh processes; 4 no-op plugins over direct in each: ` +
            p.forks.map((f) => `${int(f.overhead4Ns)} ns (direct ${int(f.directNs)})`).join(", ")
          : ""),
    );
  }
  if (r.secretsAtRest) {
    const a = r.secretsAtRest;
    out.push(
      `secrets at rest (PostgreSQL, ${a.opsPerRound} calls x ${a.rounds} rounds, median µs per call over rounds)\n` +
        table([
          ["operation", "plain", "protected", "cost"],
          ...a.rows.map((row) => [row.operation, fixed(row.plainUs), fixed(row.protectedUs), `${fixed(row.protectedUs - row.plainUs)} µs (${(row.protectedUs / row.plainUs).toFixed(2)}x)`]),
        ]),
    );
  }
  if (r.scale) {
    const s = r.scale;
    out.push(
      `${workloadTable(s.run, Object.keys(s.run.implementations)[0])}\n` +
        `  sessions inserted in ${s.seedSeconds.toFixed(1)} s; p50 ratio large/small: ` +
        Object.entries(s.p50Ratio).map(([k, v]) => `${k} ${v.toFixed(2)}x`).join(", "),
    );
  }
  if (r.memory) {
    const m = r.memory;
    out.push(`memory: ${int(m.bytesPerSession)} bytes per cached session with ${m.sessions.toLocaleString("en-US")} sessions cached (heap ${fixed(m.heapBeforeMB)} -> ${fixed(m.heapAfterMB)} MB)`);
  }
  if (r.replicas) out.push(replicasTable(r.replicas));
  if (r.wake) {
    const w = r.wake;
    const row = (name: string, t: WakeResult["hmac"]) => [name, fixed(t.loopUs, 2), fixed(t.againUs, 2), fixed(t.afterSleepUs, 2), `${(t.afterSleepUs / t.loopUs).toFixed(1)}x`];
    out.push(
      `wake probe (${w.samples} wakes; µs a call: in a tight loop, made again at once, the first after a 1 ms sleep)\n` +
        table([["step", "loop", "again", "after sleep", "after sleep / loop"], row("session-token HMAC", w.hmac), row("one account value encrypted", w.encrypt)]),
    );
  }
  if (Object.keys(r.notes).length > 0) out.push(`notes: ${JSON.stringify(r.notes)}`);
  out.push(
    "targets\n" +
      table([
        ["target", "measured", "met"],
        ...r.targets.map((t) => [t.target, t.measured, t.met === null ? "n/a" : t.met ? "yes" : "NO"]),
      ]),
  );
  return out.join("\n\n");
}

export function writeResults(path: string, r: BenchResults): void {
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}
