import { expectSuccess, runExample } from "./runExample";

interface LogLine {
  operation: string;
  facade: string;
  outcome: string;
  userId?: string;
}

test("the team's getUserByEmail finds Grace by the address as typed, and the logging plugin logs each call", async () => {
  const run = await runExample("override-one-operation");
  expectSuccess(run);
  const logs = run.lines.filter((l) => l.startsWith("    log: ")).map((l) => JSON.parse(l.slice("    log: ".length)) as LogLine);
  const grace = logs.find((l) => l.operation === "createUser")?.userId;
  expect(grace).toEqual(expect.any(String));

  // Before the override: not found. After it, through both facades: Grace.
  expect(run.lines[run.lines.indexOf(run.line("2. ")) + 2]).toBe("   -> null: she would be signed up a second time");
  expect(run.lines.filter((l) => l.startsWith("   -> found Grace"))).toEqual([`   -> found Grace (id ${grace})`, `   -> found Grace (id ${grace})`]);

  // One pino line per lookup, written by the plugin around whichever implementation ran: the
  // mixed-case address finds Grace only through the override, so "ok" lines are the override's.
  expect(logs.filter((l) => l.operation === "getUserByEmail")).toEqual([
    expect.objectContaining({ facade: "authjs", outcome: "null" }),
    expect.objectContaining({ facade: "authjs", outcome: "ok", userId: grace }),
    expect.objectContaining({ facade: "legacy", outcome: "ok", userId: grace }),
  ]);
  // The plugin's default: user ids, never e-mail addresses.
  expect(run.lines.filter((l) => l.startsWith("    log: ")).join("\n")).not.toMatch(/grace@/i);
}, 90_000);
