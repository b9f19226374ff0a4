// Runs in an app whose @mikro-orm/* packages differ in version (argv: the odd package, its version,
// and @mikro-orm/core's). The kit's first call must fail with AdapterError CONFIGURATION naming
// both versions, never as a database error.
import { AdapterError, createAdapterKit } from "nextauth-adapter-kit";

const [pkg, version, core] = process.argv.slice(2);
const kit = createAdapterKit({ database: process.env.DATABASE_URL });
try {
  const error = await kit.authjs.getUserByEmail("nobody@example.com").then(() => undefined, (e) => e);
  if (!(error instanceof AdapterError)) throw new Error(`expected an AdapterError, got ${error && error.stack ? error.stack : error}`);
  if (error.code !== "CONFIGURATION") throw new Error(`expected CONFIGURATION, got ${error.code}: ${error.message}`);
  for (const part of [`${pkg} ${version}`, `@mikro-orm/core ${core}`]) {
    if (!error.message.includes(part)) throw new Error(`the message does not name ${part}: ${error.message}`);
  }
  console.log(`${error.code}: ${error.message}`);
} finally {
  await kit.close();
}
