/**
 * The upgrade the README's "Coming from NextAuth v3's TypeORM adapter" describes, lived as a user
 * would: a next-auth 3 app on v3's own default adapter (TypeORM, `database: <postgres URL>`) signs
 * one user in and mails another a link; the same app is redeployed on `kit.legacy` with
 * `nextAuthV3Entities()` on the same database, secret and origin. Real HTTP, real cookies, real PostgreSQL.
 */
import { createAdapterKit, nextAuthV3Entities, type AdapterKit } from "../../src";
import { Browser } from "../support/browser";
import { createTestDatabase, query, type TestDatabase } from "../support/database";
import { readSession, requestSignInLink, V3_SESSION_COOKIE, v3EmailProvider, type SessionRead, type SentLink } from "../support/nextauthV3Flows";
import { startNextAuthV3Server, type NextAuthV3Options, type NextAuthV3Server } from "../support/nextauthV3Server";

const SECRET = "nextauth-v3-upgrade-secret";
const ADA = "ada@example.com";
const GRACE = "grace@example.com";
const DAY_MS = 24 * 60 * 60 * 1000;

let db: TestDatabase;
let server: NextAuthV3Server | undefined;
let kit: AdapterKit | undefined;
let closeTypeorm: (() => Promise<void>) | undefined;
const outbox: SentLink[] = [];
const loggedErrors: string[] = [];

/** The app's configuration but for where it keeps its data: the same before and after the upgrade. */
const appOptions = (storage: NextAuthV3Options): NextAuthV3Options => ({
  ...storage,
  secret: SECRET,
  logger: { error: (code: string) => void loggedErrors.push(code), warn: () => undefined, debug: () => undefined },
  providers: [v3EmailProvider(outbox)],
});

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await server?.close();
  await closeTypeorm?.();
  await kit?.close();
  await db?.drop();
});

/** Everything PostgreSQL knows about the tables' shape: tables, columns and types, constraints, indexes, sequences. */
async function schema(url: string) {
  return {
    tables: await query(url, "select table_name, table_type from information_schema.tables where table_schema = 'public' order by 1"),
    columns: await query(
      url,
      `select table_name, column_name, ordinal_position, data_type, character_maximum_length, is_nullable, column_default
       from information_schema.columns where table_schema = 'public' order by 1, 3`,
    ),
    constraints: await query(
      url,
      `select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as definition
       from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`,
    ),
    indexes: await query(url, "select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2"),
    sequences: await query(url, "select sequence_name, data_type from information_schema.sequences where sequence_schema = 'public' order by 1"),
  };
}

const sessionRow = async (sessionToken: string) =>
  (await query<{ user_id: number; expires: Date }>(db.url, "select user_id, expires from sessions where session_token = $1", [sessionToken]))[0];

/** The user comes back when the session is due for extension (created 29 days ago: it expires tomorrow). */
async function comeBackOnDay29(browser: Browser): Promise<{ read: SessionRead; before: Date; after: Date }> {
  const token = browser.cookies.get(V3_SESSION_COOKIE)!;
  await query(db.url, "update sessions set expires = now() + interval '1 day' where session_token = $1", [token]);
  const before = (await sessionRow(token)).expires;
  const read = await readSession(browser);
  return { read, before, after: (await sessionRow(token)).expires };
}

test("a next-auth 3 app moves from v3's TypeORM adapter to kit.legacy: sessions, links and v3's tables survive", async () => {
  // 1. Before: next-auth 3's default adapter, given a database URL (TypeORM creates v3's tables).
  server = await startNextAuthV3Server(appOptions({ database: `${db.url.replace(/^postgresql:/, "postgres:")}?synchronize=true` }));
  const origin = server.origin;
  closeTypeorm = () => require("typeorm").getConnection("nextauth").close();

  const ada = new Browser(origin);
  const adaLink = await requestSignInLink(ada, outbox, ADA, `${origin}/`);
  expect((await ada.request(adaLink.href)).status).toBe(302);
  const adaToken = ada.cookies.get(V3_SESSION_COOKIE)!;
  expect(adaToken).toMatch(/^[0-9a-f]{64}$/);
  expect((await readSession(ada)).body.user?.email).toBe(ADA);

  // What v3's own adapter does for a session due for extension: the baseline the kit must match.
  const v3Slide = await comeBackOnDay29(ada);
  expect(v3Slide.after.getTime()).toBeGreaterThan(v3Slide.before.getTime() + 28 * DAY_MS);
  expect(v3Slide.read.body.expires).toBe(v3Slide.after.toISOString());
  expect(v3Slide.read.cookieExpires).toBe(v3Slide.after.toUTCString());

  const grace = new Browser(origin);
  const graceLink = await requestSignInLink(grace, outbox, GRACE, `${origin}/welcome`);

  const users = await query(db.url, "select * from users order by id");
  expect(users).toEqual([expect.objectContaining({ id: 1, email: ADA })]);
  const shapeBefore = await schema(db.url);
  expect(shapeBefore.tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["users", "accounts", "sessions", "verification_requests"]));

  // 2. The redeploy: v3's app stops (its TypeORM pool with it) and starts again on kit.legacy.
  await server.close();
  server = undefined;
  await closeTypeorm();
  closeTypeorm = undefined;
  kit = createAdapterKit({ database: db.url, entities: nextAuthV3Entities() });
  server = await startNextAuthV3Server(appOptions({ adapter: kit.legacy }), { port: Number(new URL(origin).port) });
  expect(server.origin).toBe(origin);

  // 3a. Ada is still signed in with the cookie v3 gave her; a read that is not due changes nothing.
  const { expires: adaExpires } = await sessionRow(adaToken);
  const stillIn = await readSession(ada);
  expect(stillIn.body.user?.email).toBe(ADA);
  expect(stillIn.body.expires).toBe(adaExpires.toISOString());
  expect(stillIn.cookieExpires).toBe(adaExpires.toUTCString());
  expect((await sessionRow(adaToken)).expires).toEqual(adaExpires);

  // 3b. Ada comes back on day 29 again: as v3 did, the row, the response and the cookie all move to day 59.
  const kitSlide = await comeBackOnDay29(ada);
  expect(kitSlide.read.body.user?.email).toBe(ADA);
  expect(kitSlide.after.getTime()).toBeGreaterThan(kitSlide.before.getTime() + 28 * DAY_MS);
  expect(kitSlide.read.body.expires).toBe(kitSlide.after.toISOString());
  expect(kitSlide.read.cookieExpires).toBe(kitSlide.after.toUTCString());

  // 3c. Grace's link, mailed before the upgrade, signs her in once...
  const welcome = await grace.request(graceLink.href);
  expect(welcome.status).toBe(302);
  expect(welcome.headers.get("location")).toBe(`${origin}/welcome`);
  const graceToken = grace.cookies.get(V3_SESSION_COOKIE)!;
  expect(graceToken).toMatch(/^[0-9a-f]{64}$/);
  expect((await readSession(grace)).body.user?.email).toBe(GRACE);
  expect(await query(db.url, "select * from verification_requests")).toEqual([]);
  // ... and only once.
  const replayer = new Browser(origin);
  const replay = await replayer.request(graceLink.href);
  expect(replay.headers.get("location")).toBe(`${server.baseUrl}/error?error=Verification`);
  expect(replayer.cookies.has(V3_SESSION_COOKIE)).toBe(false);

  // Ada's row is as v3 left it; Grace got the next serial id; sessions point at them by integer id.
  expect(await query(db.url, "select * from users where id = 1")).toEqual([users[0]]);
  expect(await query(db.url, "select id, email from users where id <> 1")).toEqual([{ id: 2, email: GRACE }]);
  expect((await sessionRow(adaToken)).user_id).toBe(1);
  expect((await sessionRow(graceToken)).user_id).toBe(2);

  // Nothing in v3's tables changed shape.
  expect(await schema(db.url)).toEqual(shapeBefore);
  expect(loggedErrors).toEqual([]);
});
