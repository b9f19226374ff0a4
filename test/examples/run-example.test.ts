import { runNode } from "./runExample";

const SCRIPT = "scripts/run-example.ts";
const EXAMPLES = ["bring-your-own-orm", "caching-and-telemetry", "custom-plugin", "nextauth-v3", "override-one-operation", "quickstart", "split-persistence"];

test("npm run example -- <name> runs that example", async () => {
  const run = await runNode(SCRIPT, ["override-one-operation"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.lines.at(-1)).toMatch(/^Done: the logging plugin wrapped the team's getUserByEmail/);
}, 90_000);

test.each([["no-such-example"], ["../quickstart"], ["shared"], [""]])("a wrong name (%j) lists the examples and exits 2", async (name) => {
  const run = await runNode(SCRIPT, name ? [name] : []);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(name ? `Unknown example "${name}".` : "Which example?");
  const listed = run.stderr.split("Available examples:\n")[1]?.trim().split("\n").map((l) => l.trim());
  // Every example folder, and only those: examples/shared holds helpers, not an example.
  expect(listed).toEqual(EXAMPLES);
}, 60_000);
