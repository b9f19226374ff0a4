import { fixed } from "../format";
import type { ReplicaPart, ReplicasResult } from "./replicas";

export type { ReplicasResult } from "./replicas";

const signed = (n: number) => (Number.isFinite(n) ? `${n >= 0 ? "+" : ""}${n.toFixed(1)}` : "-");

/** The replicas section as printed: p50 and p99 per kit, the added p50 and its ratio, the read share. */
export function replicasTable(r: ReplicasResult): string {
  const rows = [
    ["call (kit full, cache off)", "primary only p50 us", "+replica p50 us", "added p50 us", "ratio", "p99 us (primary / +replica)"],
    row("getSessionAndUser", r.read),
    row("createSession", r.write),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((x) => x[c]!.length)));
  const table = rows.map((x) => x.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
  const share = r.replicaReadShare === null ? "-" : `${(r.replicaReadShare * 100).toFixed(1)} %`;
  return (
    `read replicas (own primary + streaming replica, ${r.sessions.toLocaleString("en-US")} sessions; calls alternate between the kits; ` +
    `${r.read.opsPerRound} reads and ${r.write.opsPerRound} writes x ${r.read.rounds} rounds, medians over rounds)\n${table}\n` +
    `  replica read share ${share} of the measured reads (${JSON.stringify(r.readRoutes)})`
  );
}

function row(name: string, p: ReplicaPart): string[] {
  return [name, fixed(p.primaryOnly.p50Us), fixed(p.withReplica.p50Us), signed(p.addedP50Us), `${fixed(p.p50Ratio, 2)}x`, `${fixed(p.primaryOnly.p99Us, 0)} / ${fixed(p.withReplica.p99Us, 0)}`];
}
