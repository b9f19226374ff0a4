/**
 * Override one operation: replace `getUserByEmail` with a class of your own, and keep every plugin
 * (here the `logging` plugin) wrapped around it. Nothing else in the kit changes.
 */
import pino from "pino";
import { createAdapterKit } from "../../src";
import { logging } from "../../plugins";
import { CaseInsensitiveGetUserByEmail } from "./CaseInsensitiveGetUserByEmail";

// pino writes one JSON line per adapter call; we print each one, indented, as it is written.
const logger = pino({ level: "info", base: undefined, timestamp: false }, { write: (line: string) => process.stdout.write(`    log: ${line}`) });

async function main(): Promise<void> {
  // SQLite in memory (the default); the logging plugin logs every call at "info".
  const kit = createAdapterKit({ plugins: [logging({ logger, level: "info" })] });
  try {
    console.log("1. Grace is in the user directory, in lower case as the legacy import stored her:");
    const grace = await kit.authjs.createUser({ email: "grace@example.com", name: "Grace Hopper", emailVerified: null });

    console.log("2. The default getUserByEmail, asked for the address as Grace typed it:");
    const before = await kit.authjs.getUserByEmail("Grace@Example.COM");
    console.log(`   -> ${before === null ? "null: she would be signed up a second time" : before.id}`);

    // One line swaps the implementation; `@Operation("getUserByEmail")` on the class says which.
    kit.override(CaseInsensitiveGetUserByEmail);

    console.log("3. The team's getUserByEmail, same address, through the Auth.js facade:");
    const after = await kit.authjs.getUserByEmail("Grace@Example.COM");
    console.log(`   -> ${after?.id === grace.id ? `found Grace (id ${grace.id})` : "not found"}`);

    // The override replaces the operation itself, so every facade uses it: here NextAuth v3's.
    console.log("4. The same override through the NextAuth v3 facade:");
    const v3 = await kit.legacy.getAdapter({ secret: "override-example-secret" });
    const viaV3 = await v3.getUserByEmail(" GRACE@EXAMPLE.COM ");
    console.log(`   -> ${viaV3?.id === grace.id ? `found Grace (id ${grace.id})` : "not found"}`);

    if (before !== null || after?.id !== grace.id || viaV3?.id !== grace.id) throw new Error("the override did not take effect");
    console.log("Done: the logging plugin wrapped the team's getUserByEmail (the log lines under 3 and 4).");
  } finally {
    await kit.close();
  }
}

main().catch((error: unknown) => {
  console.error(`override-one-operation example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
