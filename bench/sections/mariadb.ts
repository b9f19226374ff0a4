/**
 * The MariaDB section: getSessionAndUser (1 and 32 callers) and the sign-in writes (createSession,
 * createVerificationToken + useVerificationToken, createUser, linkAccount) on the MariaDB server
 * through the kit's full stack, on each driver, against its floor: mysql2's pool running each
 * operation as one server-side prepared statement (`pool.execute`), as a hand-tuned app would.
 * Target: the kit at least 0.9x the floor.
 */
import { createAdapterKit } from "../../src";
import { MARIADB_SERVER, withMariaDb } from "../../test/support/mariadb";
import { fullPlugins, kitImplementation } from "../implementations/kitVariants";
import { mysql2Floor } from "../implementations/mysql2Floor";
import type { Implementation } from "../implementations/types";
import type { Sizes } from "../options";
import { runWorkload, type WorkloadResult } from "../runner";
import type { Fixtures } from "../setup/seed";
import { createSession } from "../workloads/createSession";
import { createUser } from "../workloads/createUser";
import { getSessionAndUserSequential, getSessionAndUserConcurrent } from "../workloads/getSessionAndUser";
import { linkAccount } from "../workloads/linkAccount";
import type { Workload } from "../workloads/types";
import { verificationToken } from "../workloads/verificationToken";

/** The sign-in writes measured on MariaDB, interleaved call by call like the PostgreSQL ones. */
export const MARIADB_WRITES = [createSession, verificationToken, createUser, linkAccount] as const;

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
  return withMariaDb(url, async (c) => ((await c.query("select session_token as t from sessions order by rand()"))[0] as Array<{ t: string }>).map((r) => r.t));
}

/** The seeded users' ids (sessions and accounts are written for them), shuffled. */
async function seededUserIds(url: string, n: number): Promise<string[]> {
  return withMariaDb(url, async (c) => ((await c.query(`select id from users order by rand() limit ${n}`))[0] as Array<{ id: string }>).map((r) => r.id));
}

export interface MariaDbSectionResult {
  server: string;
  workloads: WorkloadResult[];
}

/** Runs the section in a database of its own, dropped at the end. */
export async function measureMariaDb(population: number, ops: Sizes["ops"], rounds: number, deadline: number, log: (line: string) => void): Promise<MariaDbSectionResult> {
  const name = `nak_bench_${process.pid}_mariadb`;
  const server = MARIADB_SERVER.replace(/^[a-z]+:\/\//i, "");
  await withMariaDb(MARIADB_SERVER, (c) => c.query(`create database \`${name}\``));
  const implementations: Implementation[] = [];
  try {
    const setup = createAdapterKit({ database: `mariadb://${server}/${name}`, sessionTokens: "raw" });
    await setup.synchronize().finally(() => setup.close());
    const version = await withMariaDb(MARIADB_SERVER, async (c) => ((await c.query("select version() as v"))[0] as Array<{ v: string }>)[0]!.v);
    const sessionTokens = await seedSessions(`mysql://${server}/${name}`, population);
    const fixtures: Fixtures = { sessionTokens, userIds: await seededUserIds(`mysql://${server}/${name}`, population), accounts: [] };
    implementations.push(
      mysql2Floor(`mysql://${server}/${name}`),
      kitFullOn("kit full (mariadb)", `mariadb://${server}/${name}`),
      kitFullOn("kit full (mysql2)", `mysql://${server}/${name}`),
    );
    const workloads: WorkloadResult[] = [];
    for (const workload of [getSessionAndUserSequential, getSessionAndUserConcurrent, ...MARIADB_WRITES] as Workload[]) {
      log(`bench: MariaDB, ${workload.title}`);
      const result = await runWorkload(workload as never, implementations, () => fixtures, ops[workload.name as keyof Sizes["ops"]], rounds, deadline, log);
      workloads.push({ ...result, workload: `mariadb:${result.workload}`, title: `MariaDB ${version}: ${result.title}` });
    }
    return { server: version, workloads };
  } finally {
    await Promise.allSettled(implementations.map((i) => i.close()));
    await withMariaDb(MARIADB_SERVER, (c) => c.query(`drop database if exists \`${name}\``));
  }
}
