/**
 * Dates in a process whose local zone is not UTC: the database holds the UTC instant and every
 * facade reads back the same instant, on PostgreSQL (timestamptz) and on MariaDB through both
 * drivers (DATETIME: mysql2 hands the kit Dates, the MariaDB connector text that MikroORM parses).
 * The kit runs in a child process started with `TZ` set: jest's sandbox keeps a test's own
 * `process.env.TZ` from reaching the clock.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { createAdapterKit } from "../../src";
import { createTestDatabase, query } from "../support/database";
import { createTestMariaDb, mariaQuery } from "../support/mariadb";
import { MYSQL_DRIVERS } from "../support/mysqlDrivers";

/** +12:45 / +13:45: no whole-hour slip can pass unseen. */
const ZONE = "Pacific/Chatham";
const VERIFIED = "2030-01-02T03:04:05.678Z";
const EXPIRES = "2031-07-08T23:59:58.123Z";

/** Signs a user in and reads everything back through each facade, in a process on `ZONE`. */
const PROGRAM = `
  const { createAdapterKit } = require("./src");
  (async () => {
    const kit = createAdapterKit({ database: process.env.KIT_URL, sessionTokens: "raw" });
    try {
      const user = await kit.authjs.createUser({ email: process.env.KIT_EMAIL, emailVerified: new Date("${VERIFIED}") });
      const sessionToken = process.env.KIT_TOKEN;
      await kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date("${EXPIRES}") });
      const found = await kit.authjs.getSessionAndUser(sessionToken);
      const v3 = await kit.legacy.getAdapter({ secret: "s" });
      console.log(JSON.stringify({
        offsetMinutes: new Date("${EXPIRES}").getTimezoneOffset(),
        userId: user.id,
        expires: found.session.expires.toISOString(),
        emailVerified: found.user.emailVerified.toISOString(),
        getUser: (await kit.authjs.getUser(user.id)).emailVerified.toISOString(),
        v3Expires: (await v3.getSession(sessionToken)).expires.toISOString(),
      }));
    } finally {
      await kit.close();
    }
  })().catch((e) => { console.error(e); process.exit(1); });`;

/** What the server should hold for an instant: its UTC wall time, to the millisecond. */
const utcText = (iso: string) => iso.replace("T", " ").replace("Z", "");

const STORED_SQL = {
  postgresql:
    "select to_char(u.email_verified at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') as v, to_char(s.expires at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') as e " +
    "from users u join sessions s on s.user_id = u.id where u.id = $1",
  mysql: "select cast(u.email_verified as char) as v, cast(s.expires as char) as e from users u join sessions s on s.user_id = u.id where u.id = ?",
};

interface Case {
  name: string;
  /** A fresh database: its URL, what it stored for a user (as UTC text), and its removal. */
  create(): Promise<{ url: string; stored(userId: string): Promise<unknown>; drop(): Promise<void> }>;
}

const CASES: Case[] = [
  {
    name: "postgresql",
    async create() {
      const db = await createTestDatabase();
      return { url: db.url, stored: async (id) => (await query(db.url, STORED_SQL.postgresql, [id]))[0], drop: db.drop };
    },
  },
  ...MYSQL_DRIVERS.map(
    ({ name, url }): Case => ({
      name: `${name} driver on MariaDB`,
      async create() {
        const db = await createTestMariaDb();
        return { url: url(db), stored: async (id) => (await mariaQuery(url(db), STORED_SQL.mysql, [id]))[0], drop: db.drop };
      },
    }),
  ),
];

describe.each(CASES)(`dates on $name, in a process on ${ZONE}`, ({ create }) => {
  let db: Awaited<ReturnType<Case["create"]>>;
  beforeAll(async () => {
    db = await create();
    const kit = createAdapterKit({ database: db.url, synchronize: true, sessionTokens: "raw" });
    await kit.synchronize().finally(() => kit.close());
  });
  afterAll(() => db?.drop());

  test("emailVerified and expires are stored as UTC and every facade reads back the same instant", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["-r", "@swc-node/register", "-e", PROGRAM], {
      cwd: join(__dirname, "../.."),
      env: { ...process.env, TZ: ZONE, KIT_URL: db.url, KIT_EMAIL: `tz-${randomUUID()}@example.com`, KIT_TOKEN: randomUUID() },
    });
    const seen = JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, string | number>;
    // The child really ran off UTC.
    expect(seen.offsetMinutes).not.toBe(0);
    expect(seen).toMatchObject({ expires: EXPIRES, emailVerified: VERIFIED, getUser: VERIFIED, v3Expires: EXPIRES });
    expect(await db.stored(String(seen.userId))).toEqual({ v: utcText(VERIFIED), e: utcText(EXPIRES) });
  });
});
