/**
 * What a tracer of the mysql2 driver sees of the kit's statements. mysql2 publishes every
 * `connection.query` and `connection.execute` on its `mysql2:query` / `mysql2:execute` tracing
 * channels, values included; APM agents and OpenTelemetry's mysql2 instrumentation record what
 * those calls carry (by default, values written into the span's statement). No token, e-mail or
 * OAuth token a caller passed may reach them.
 */
import { randomUUID } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import { createAdapterKit, type AdapterKit } from "../../src";
import { createTestMariaDb, type TestMariaDb } from "../support/mariadb";

let db: TestMariaDb;
let kit: AdapterKit;
/** Every context mysql2 published when a traced call started. */
const traced: unknown[] = [];
const onStart = (context: unknown) => void traced.push(context);
const channels = ["mysql2:query", "mysql2:execute"].map((name) => diagnostics.tracingChannel(name));

beforeAll(async () => {
  db = await createTestMariaDb();
  for (const channel of channels) channel.start.subscribe(onStart);
  // Raw session tokens, so that the token itself is what would be sent if anything were.
  kit = createAdapterKit({ database: db.mysqlUrl, synchronize: true, sessionTokens: "raw" });
});

afterAll(async () => {
  for (const channel of channels) channel.start.unsubscribe(onStart);
  await kit?.close();
  await db?.drop();
});

test("a sign-in's statements reach mysql2's tracers without any value the caller passed", async () => {
  const secrets = { email: `tracer-${randomUUID()}@example.com`, access: `at-${randomUUID()}`, refresh: `rt-${randomUUID()}`, session: `st-${randomUUID()}`, link: `vt-${randomUUID()}` };
  const a = kit.authjs;
  await a.createVerificationToken!({ identifier: secrets.email, token: secrets.link, expires: new Date(Date.now() + 60_000) });
  expect(await a.useVerificationToken!({ identifier: secrets.email, token: secrets.link })).not.toBeNull();
  const user = await a.createUser({ email: secrets.email, emailVerified: new Date() });
  await a.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: randomUUID(), access_token: secrets.access, refresh_token: secrets.refresh });
  await a.createSession({ sessionToken: secrets.session, userId: user.id, expires: new Date(Date.now() + 60_000) });
  expect(await a.getSessionAndUser(secrets.session)).toMatchObject({ user: { email: secrets.email } });
  expect(await a.getUserByEmail(secrets.email)).toMatchObject({ id: user.id });
  await a.deleteUser!(user.id);

  // The tracers did see the kit's connection (its plain statements: session setup, transactions).
  expect(traced.length).toBeGreaterThan(0);
  const seen = JSON.stringify(traced);
  for (const value of Object.values(secrets)) expect(seen).not.toContain(value);
});
