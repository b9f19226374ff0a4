/**
 * `npm run example -- <name>`: runs `examples/<name>/main.ts` with `node -r @swc-node/register`,
 * the same command the example tests use. A missing or unknown name lists the examples there are.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const EXAMPLES = join(ROOT, "examples");

/** Every folder of examples/ that holds a main.ts (helper folders have none). */
function available(): string[] {
  return readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(EXAMPLES, entry.name, "main.ts")))
    .map((entry) => entry.name)
    .sort();
}

const name = process.argv[2];
const names = available();
// Only a listed folder name is accepted: no paths, so `../x` cannot run a file outside examples/.
if (!name || !names.includes(name)) {
  console.error(name ? `Unknown example "${name}".` : "Which example?");
  console.error(`Usage: npm run example -- <name>\nAvailable examples:\n${names.map((n) => `  ${n}`).join("\n")}`);
  process.exit(2);
}

const child = spawn(process.execPath, ["-r", "@swc-node/register", join("examples", name, "main.ts")], { cwd: ROOT, stdio: "inherit" });
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
