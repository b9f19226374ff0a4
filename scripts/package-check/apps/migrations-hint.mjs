// Runs in an app on a MikroORM without @mikro-orm/migrations (argv: its @mikro-orm/core version):
// the kit must name the package at that version, the one the app can install without a mismatch.
import { AdapterError, kitMigrations } from "nextauth-adapter-kit";

const [core] = process.argv.slice(2);
const error = (() => {
  try {
    kitMigrations("postgresql");
  } catch (e) {
    return e;
  }
  return undefined;
})();
if (!(error instanceof AdapterError)) throw new Error(`expected an AdapterError, got ${error && error.stack ? error.stack : error}`);
if (error.code !== "CONFIGURATION") throw new Error(`expected CONFIGURATION, got ${error.code}: ${error.message}`);
if (!error.message.includes(`npm install -E @mikro-orm/migrations@${core}\``)) throw new Error(`the message does not name @mikro-orm/migrations@${core}: ${error.message}`);
console.log(`${error.code}: ${error.message}`);
