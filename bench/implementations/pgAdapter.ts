import { Pool } from "pg";
import { POOL_SIZE } from "./floor";
import type { BenchAdapter, Implementation } from "./types";

// @auth/pg-adapter is ESM-only ("exports" has only "import"): a real dynamic import, which the
// TypeScript-to-CommonJS transform would otherwise rewrite into a require() that cannot load it.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<{ default: (pool: Pool) => unknown }>;

/** The hand-written peer on its documented schema: two round trips for a session and its user. */
export async function pgAdapter(url: string): Promise<Implementation> {
  const { default: PostgresAdapter } = await importEsm("@auth/pg-adapter");
  const pool = new Pool({ connectionString: url, max: POOL_SIZE });
  return {
    name: "@auth/pg-adapter",
    description: `@auth/pg-adapter 1.11.3 on its documented schema, pg Pool (max ${POOL_SIZE})`,
    family: "pg",
    adapter: PostgresAdapter(pool) as BenchAdapter,
    close: () => pool.end(),
  };
}
