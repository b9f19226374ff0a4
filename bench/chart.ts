/**
 * The one-look summary of a run: an SVG bar chart of every workload's ratio to its floor, one group
 * per workload, the peer beside the kit's variants. Drawn by hand (no chart library): a log scale
 * from 1/4 to 256, since cached reads run 30-100x the floor while the rest sit near 1.
 */
import { writeFileSync } from "node:fs";
import type { WorkloadResult } from "./runner";

const MIN = 0.25;
const MAX = 256;
const LABEL_W = 330;
const PLOT_W = 520;
const BAR_H = 14;
const GAP = 3;
const GROUP_GAP = 16;
const TOP = 54;

/** Colours by contender: grey floor, orange peer, blues for the kit. */
function colour(name: string): string {
  if (name === "floor" || name.startsWith("floor")) return "#9e9e9e";
  if (name.startsWith("@auth")) return "#e8871e";
  if (name.includes("cached")) return "#6a3d9a";
  if (name.includes("bare")) return "#a6cee3";
  return "#1f78b4";
}

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const x = (ratio: number) => LABEL_W + (PLOT_W * Math.log2(Math.min(MAX, Math.max(MIN, ratio)) / MIN)) / Math.log2(MAX / MIN);

/** The chart as SVG text. `caption` says where and when it was measured. */
export function chartSvg(workloads: readonly WorkloadResult[], caption: string): string {
  const parts: string[] = [];
  let y = TOP;
  for (const w of workloads) {
    const entries = Object.entries(w.implementations).filter(([, s]) => Number.isFinite(s.ratioToFloor));
    parts.push(`<text x="8" y="${y + 11}" font-weight="bold">${esc(w.title)}</text>`);
    y += BAR_H + GAP;
    for (const [name, s] of entries) {
      const end = x(s.ratioToFloor);
      parts.push(
        `<text x="${LABEL_W - 6}" y="${y + 11}" text-anchor="end">${esc(name)}</text>`,
        `<rect x="${LABEL_W}" y="${y}" width="${Math.max(1, end - LABEL_W).toFixed(1)}" height="${BAR_H}" fill="${colour(name)}"/>`,
        `<text x="${(end + 4).toFixed(1)}" y="${y + 11}">${s.ratioToFloor >= 10 ? s.ratioToFloor.toFixed(0) : s.ratioToFloor.toFixed(2)}x</text>`,
      );
      y += BAR_H + GAP;
    }
    y += GROUP_GAP;
  }
  const height = y + 10;
  const ticks: string[] = [];
  for (let t = MIN; t <= MAX; t *= 2) {
    const tx = x(t).toFixed(1);
    ticks.push(
      `<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${height - 10}" stroke="${t === 1 ? "#333" : "#ddd"}" stroke-width="${t === 1 ? 1.5 : 1}"/>`,
      `<text x="${tx}" y="${TOP - 10}" text-anchor="middle">${t < 1 ? `1/${1 / t}` : t}x</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_W + PLOT_W + 60}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="16" font-size="13" font-weight="bold">Ratio to the floor (raw pg, prepared statements) per workload; higher is faster, 1x = the floor</text>`,
    `<text x="8" y="30" fill="#555">${esc(caption)}</text>`,
    ...ticks,
    ...parts,
    `</svg>`,
  ].join("\n");
}

export function writeChart(path: string, workloads: readonly WorkloadResult[], caption: string): void {
  writeFileSync(path, `${chartSvg(workloads, caption)}\n`);
}
