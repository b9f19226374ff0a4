import { expectSuccess, runExample } from "./runExample";

test("each of the seed's three configurations signs grace@example.com in through next-auth@3's handler", async () => {
  const run = await runExample("nextauth-v3");
  expectSuccess(run);
  for (const label of ["createAdapterKit({ database }).legacy", "Adapters.Default(database)", "Adapters.MikroORM.Adapter(database)"]) {
    expect(run.line(`${label}:`)).toBe(`${label}: signed in by e-mail through next-auth@3; session user grace@example.com`);
  }
  // The magic link carries a one-time credential: the example never prints it.
  expect(run.stdout).not.toMatch(/token=/);
}, 120_000);
