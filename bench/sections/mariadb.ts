/**
 * The MariaDB section: getSessionAndUser on the MariaDB server through the kit's full stack, on
 * each driver, against its floor: mysql2's pool running the same JOIN as a server-side prepared
 * statement (`pool.execute`), as a hand-tuned app would. Target: the kit at least 0.9x the floor.
 */
import { createPool } from "mysql2/promise";
import { createAdapterKit } from "../../src";
import { MARIADB_SERVER, withMariaDb } from "../../test/support/mariadb";
import { fullPlugins, kitImplementation } from "../implementations/kitVariants";
import { POOL_SIZE } from "../implementations/floor";
import type { BenchAdapter, Implementation } from "../implementations/types";
import { runWorkload, type WorkloadResult } from "../runner";
import type { Fixtures } from "../setup/seed";
import { getSessionAndUserSequential, getSessionAndUserConcurrent } from "../workloads/getSessionAndUser";

const JOIN =
  "select s.id as s_id, s.session_token, s.user_id, s.expires, u.id, u.name, u.email, u.email_verified, u.image " +
  "from sessions s join users u on u.id = s.user_id where s.session_token = ?";

/** The floor: mysql2's pool, one prepared JOIN, rows mapped by hand. */
function mysql2Floor(url: string): Implementation {
  const pool = createPool({ uri: url, connectionLimit: POOL_SIZE, timezone: "Z" });
  const unsupported = () => Promise.reject(new Error("the MariaDB section measures getSessionAndUser only"));
  const adapter: BenchAdapter = {
    async getSessionAndUser(sessionToken: string) {
      const [rows] = await pool.execute(JOIN, [sessionToken]);
      const r = (rows as Record<string, unknown>[])[0];
      if (!r || (r.expires as Date).getTime() <= Date.now()) return null;
      return {
        session: { sessionToken: r.session_token, userId: r.user_id, expires: r.expires },
        user: { id: r.id, name: r.name, email: r.email, emailVerified: r.email_verified, image: r.image },
      };
    },
    createSession: unsupported,
    createVerificationToken: unsupported,
    useVerificationToken: unsupported,
    getUserByAccount: unsupported,
    createUser: unsupported,
    linkAccount: unsupported,
  };
  return { name: "floor", description: `mysql2 pool (${POOL_SIZE}), the JOIN as a prepared statement (execute)`, family: "kit", adapter, close: () => pool.end() };
}

/** A kit with the full plugin stack on `url` (`mariadb://` or `mysql://`). */
function kitFullOn(name: string, url: string): Implementation {
  const full = fullPlugins();
  // Raw session tokens: the seed below writes them as given (the PostgreSQL workloads run hashed ones).
  return kitImplementation(name, `kit full (hashing, logging, metrics; raw session tokens) through ${url.split(":")[0]}://`, url, full.plugins, {
    close: async () => full.dispose(),
    sessionTokens: "raw",
  });
}

/** Seeds `n` users with one live session each, in one statement per table (the server generates the rows). */
async function seedSessions(url: string, n: number): Promise<string[]> {
  await withMariaDb(url, async (c) => {
    await c.query(
      `insert into users (id, name, email, email_verified, image)
       select concat('user-', seq), concat('User Number ', seq), concat('user', seq, '@example.com'), utc_timestamp(3), concat('https://avatars.example.com/u/', seq, '.png') from seq_1_to_${n}`,
    );
    await c.query(
      `insert into sessions (id, session_token, user_id, expires)
       select concat('session-', seq), sha2(concat('bench-session-', seq), 256), concat('user-', seq), utc_timestamp(3) + interval 30 day from seq_1_to_${n}`,
    );
  });
  const tokens = await withMariaDb(url, async (c) => ((await c.query("select session_token as t from sessions order by rand()"))[0] as Array<{ t: string }>).map((r) => r.t));
  return tokens;
}

export interface MariaDbSectionResult {
  server: string;
  workloads: WorkloadResult[];
}

/** Runs the section in a database of its own, dropped at the end. */
export async function measureMariaDb(population: number, ops: number, rounds: number, deadline: number, log: (line: string) => void): Promise<MariaDbSectionResult> {
  const name = `nak_bench_${process.pid}_mariadb`;
  const server = MARIADB_SERVER.replace(/^[a-z]+:\/\//i, "");
  await withMariaDb(MARIADB_SERVER, (c) => c.query(`create database \`${name}\``));
  const implementations: Implementation[] = [];
  try {
    const setup = createAdapterKit({ database: `mariadb://${server}/${name}`, sessionTokens: "raw" });
    await setup.synchronize().finally(() => setup.close());
    const version = await withMariaDb(MARIADB_SERVER, async (c) => ((await c.query("select version() as v"))[0] as Array<{ v: string }>)[0]!.v);
    const fixtures: Fixtures = { sessionTokens: await seedSessions(`mysql://${server}/${name}`, population), userIds: [], accounts: [] };
    implementations.push(
      mysql2Floor(`mysql://${server}/${name}`),
      kitFullOn("kit full (mariadb)", `mariadb://${server}/${name}`),
      kitFullOn("kit full (mysql2)", `mysql://${server}/${name}`),
    );
    const workloads: WorkloadResult[] = [];
    for (const workload of [getSessionAndUserSequential, getSessionAndUserConcurrent]) {
      log(`bench: MariaDB, ${workload.title}`);
      const result = await runWorkload(workload as never, implementations, () => fixtures, ops, rounds, deadline, log);
      workloads.push({ ...result, workload: `mariadb:${result.workload}`, title: `MariaDB ${version}: ${result.title}` });
    }
    return { server: version, workloads };
  } finally {
    await Promise.allSettled(implementations.map((i) => i.close()));
    await withMariaDb(MARIADB_SERVER, (c) => c.query(`drop database if exists \`${name}\``));
  }
}
