/** The `replicas` settings as an app passes them: checked at createAdapterKit, nothing echoed. */
import { createAdapterKit, type DatabaseOption } from "../../src";

const primary = "postgresql://kit:primary-secret@127.0.0.1:5432/app";

function configError(database: DatabaseOption): Error {
  try {
    createAdapterKit({ database });
  } catch (error) {
    return error as Error;
  }
  throw new Error("no error");
}

test.each([
  ["a replica that is not a postgres URL", { url: primary, replicas: ["mysql://kit:replica-secret@db/app"] }],
  ["a replica URL field that is not a postgres URL", { type: "postgres", url: primary, replicas: [{ url: "http://replica-secret@x" }] }],
  ["replicas that are not a list", { url: primary, replicas: "postgresql://kit:replica-secret@db/app" }],
  ["a lag bound that is not a positive number", { url: primary, replicas: [], maxReplicaLagMs: -1 }],
  ["a poll period that is not a number", { url: primary, replicas: [], replicaPollMs: "100" }],
  ["replicas on SQLite", { type: "sqlite", replicas: ["postgresql://kit:replica-secret@db/app"] }],
  ["replicas on MySQL or MariaDB", { type: "mysql", url: "mysql://kit:replica-secret@db/app", replicas: ["mysql://kit:replica-secret@replica/app"] }],
])("%s is a CONFIGURATION error that shows no URL or password", (_label, database) => {
  const error = configError(database as DatabaseOption);
  expect(error).toMatchObject({ code: "CONFIGURATION" });
  expect(error.message).not.toMatch(/secret|mysql:|http:|postgresql:/);
});

test("valid forms are accepted without connecting", async () => {
  for (const database of [
    { url: primary, replicas: [primary.replace("5432", "5433"), { host: "replica-2", port: 5432 }], maxReplicaLagMs: 500, replicaPollMs: 50 },
    { type: "postgres" as const, host: "127.0.0.1", database: "app", replicas: [{ host: "replica-1" }] },
  ]) {
    const kit = createAdapterKit({ database });
    await kit.close();
  }
});
