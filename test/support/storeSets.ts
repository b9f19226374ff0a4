import { createAdapterKit, type AdapterKit, type AdapterKitOptions } from "../../src";
import { createTestDatabase, type TestDatabase } from "./database";

/** One store set the contract suites run against, with its own isolated database. */
export interface StoreSetFixture {
  readonly name: "memory" | "sqlite" | "postgres";
  /** Builds a kit on this store set; extra options (plugins, entities) pass through. */
  kit(options?: Omit<AdapterKitOptions, "database" | "stores">): AdapterKit;
  /** The PostgreSQL URL when the set is PostgreSQL. */
  url?: string;
}

export const STORE_SET_NAMES = ["memory", "sqlite", "postgres"] as const;

/**
 * Prepares a store set for one describe block: call in beforeAll, and `release` in afterAll.
 * PostgreSQL gets a fresh database per call; SQLite is the embedded in-memory default.
 */
export async function prepareStoreSet(name: StoreSetFixture["name"]) {
  const kits: AdapterKit[] = [];
  let db: TestDatabase | undefined;
  if (name === "postgres") db = await createTestDatabase();
  const fixture: StoreSetFixture = {
    name,
    url: db?.url,
    kit(options = {}) {
      const kit =
        name === "memory"
          ? createAdapterKit({ ...options, stores: "memory" })
          : name === "sqlite"
            ? createAdapterKit({ ...options })
            : createAdapterKit({ ...options, database: db!.url, synchronize: true });
      kits.push(kit);
      return kit;
    },
  };
  return {
    fixture,
    async release() {
      await Promise.allSettled(kits.map((k) => k.close()));
      await db?.drop();
    },
  };
}

/** A unique e-mail per call, so tests sharing a database never collide. */
let counter = 0;
export function uniqueEmail(tag = "user"): string {
  counter += 1;
  return `${tag}.${process.pid}.${Date.now().toString(36)}.${counter}@example.com`;
}
