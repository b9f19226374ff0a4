import { createAdapterKit, type AdapterKit, type AdapterKitOptions } from "../../src";
import { createTestDatabase, type TestDatabase } from "./database";
import { createTestMariaDb, type TestMariaDb } from "./mariadb";

/** One store set the contract suites run against, with its own isolated database. */
export interface StoreSetFixture {
  readonly name: (typeof STORE_SET_NAMES)[number];
  /** Builds a kit on this store set; extra options (plugins, entities) pass through. */
  kit(options?: Omit<AdapterKitOptions, "database" | "stores">): AdapterKit;
  /** The database URL when the set has a server (PostgreSQL, or MariaDB through `mysql://`/`mariadb://`). */
  url?: string;
}

/** `mariadb` is the MariaDB connector (`@mikro-orm/mariadb`), `mysql` the mysql2 driver (`@mikro-orm/mysql`), both on the MariaDB server. */
export const STORE_SET_NAMES = ["memory", "sqlite", "postgres", "mariadb", "mysql"] as const;

/**
 * Prepares a store set for one describe block: call in beforeAll, and `release` in afterAll.
 * PostgreSQL gets a fresh database per call; SQLite is the embedded in-memory default.
 */
export async function prepareStoreSet(name: StoreSetFixture["name"]) {
  const kits: AdapterKit[] = [];
  let db: TestDatabase | undefined;
  let maria: TestMariaDb | undefined;
  if (name === "postgres") db = await createTestDatabase();
  if (name === "mariadb" || name === "mysql") maria = await createTestMariaDb();
  const url = db?.url ?? (name === "mariadb" ? maria?.mariadbUrl : maria?.mysqlUrl);
  const fixture: StoreSetFixture = {
    name,
    url,
    kit(options = {}) {
      const kit =
        name === "memory"
          ? createAdapterKit({ ...options, stores: "memory" })
          : name === "sqlite"
            ? createAdapterKit({ ...options })
            : createAdapterKit({ ...options, database: url!, synchronize: true });
      kits.push(kit);
      return kit;
    },
  };
  return {
    fixture,
    async release() {
      await Promise.allSettled(kits.map((k) => k.close()));
      await db?.drop();
      await maria?.drop();
    },
  };
}

/** A unique e-mail per call, so tests sharing a database never collide. */
let counter = 0;
export function uniqueEmail(tag = "user"): string {
  counter += 1;
  return `${tag}.${process.pid}.${Date.now().toString(36)}.${counter}@example.com`;
}

/** prepareStoreSet for the enclosing describe block: the fixture is ready inside its tests. */
export function useStoreSet(name: StoreSetFixture["name"]): () => StoreSetFixture {
  let prepared: Awaited<ReturnType<typeof prepareStoreSet>> | undefined;
  beforeAll(async () => {
    prepared = await prepareStoreSet(name);
  });
  afterAll(() => prepared?.release());
  return () => prepared!.fixture;
}

/** What a call did, comparable in one expect: its value, or its error's code and message. */
export function outcomeOf(call: () => Promise<unknown>): Promise<{ resolved: unknown } | { code: unknown; message: string }> {
  return call().then(
    (value) => ({ resolved: value }),
    (error: { code?: unknown; message?: unknown }) => ({ code: error.code, message: String(error.message) }),
  );
}
