/**
 * A team's own plugins, registered by decorator: `BlockedDomains` refuses sign-ins from a blocked
 * domain, `SignInAudit` writes every sign-in into the app's own table on the same PostgreSQL.
 *
 * DATABASE_URL picks the database; by default the example creates `nak_example_custom_plugin`.
 */
import { Pool } from "pg";
import { AdapterError, createAdapterKit } from "../../src";
import { exampleDatabase } from "../shared/postgres";
import { signInByEmail } from "../shared/signInByEmail";
import { BlockedDomains } from "./BlockedDomains";
import { AUDIT_POOL, AUDIT_TABLE_SQL, SignInAudit } from "./SignInAudit";

async function main(): Promise<void> {
  const url = await exampleDatabase("custom-plugin");
  const pool = new Pool({ connectionString: url }); // the app's own pool, for its own table
  await pool.query(AUDIT_TABLE_SQL);
  // synchronize: create the kit's tables if missing (development; use migrations in production).
  const kit = createAdapterKit({ database: url, synchronize: true });
  try {
    // The audit plugin's dependency, bound in the kit's container; then both plugins, by class.
    kit.container.bind(AUDIT_POOL).toConstantValue(pool);
    kit.use(BlockedDomains).use(SignInAudit);

    const { user } = await signInByEmail(kit.authjs, "ada@example.com");
    console.log(`1. ada@example.com signed in (user ${user.id}): the calls Auth.js makes, see ../shared/signInByEmail.ts`);

    const audit = await pool.query("select user_id, facade, signed_in_at from sign_in_audit where user_id = $1", [user.id]);
    console.log(`2. sign_in_audit rows for her: ${JSON.stringify(audit.rows.map((r) => ({ user_id: r.user_id, facade: r.facade })))}`);

    try {
      await signInByEmail(kit.authjs, "mallory@blocked.example");
      throw new Error("mallory@blocked.example was let in");
    } catch (error) {
      if (!(error instanceof AdapterError)) throw error;
      // What the caller (Auth.js, next-auth@3, or your code) sees: one error class with a stable code.
      console.log(`3. mallory@blocked.example refused: ${error.name} code=${error.code} operation=${error.operation} message="${error.message}"`);
    }
    const mallory = await kit.authjs.getUserByEmail("mallory@blocked.example");
    console.log(`4. mallory in the database: ${mallory === null ? "no" : "yes"}`);
    if (audit.rowCount !== 1 || mallory !== null) throw new Error("the plugins did not do their job");

    await kit.authjs.deleteUser(user.id); // so the next run starts clean; the audit trail stays
    console.log("Done: both team plugins ran inside the kit's pipeline.");
  } finally {
    await kit.close();
    await pool.end(); // the pool is the app's: the kit does not close it
  }
}

main().catch((error: unknown) => {
  console.error(`custom-plugin example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
