// Runs in an app that installed the tarball next to one MikroORM 6 version (DATABASE_URL names an
// empty PostgreSQL database). With that version: kit.migrate() lays out the tables, a sign-in runs
// through @auth/core on the kit's own ORM, then another on an ORM the app initialised itself.
import { createRequire } from "node:module";
import { MikroORM } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { AdapterError, createAdapterKit, entityList } from "nextauth-adapter-kit";
import { check, signInByEmail } from "./auth-signin.mjs";

const url = process.env.DATABASE_URL;
check(url, "DATABASE_URL is not set");
const version = createRequire(import.meta.url)("@mikro-orm/core/package.json").version;

const own = createAdapterKit({ database: url });
try {
  const applied = await own.migrate();
  check(applied.length > 0, "kit.migrate() applied nothing on an empty database");
  await signInByEmail(own.authjs, "kit-orm@example.com");
} finally {
  await own.close();
}

const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: url, entities: entityList() });
const kit = createAdapterKit({ database: orm });
try {
  await signInByEmail(kit.authjs, "app-orm@example.com");
  const again = await kit.authjs.createUser({ email: "app-orm@example.com", emailVerified: null }).catch((error) => error);
  check(again instanceof AdapterError && again.code === "CONFLICT", `a duplicate e-mail: expected CONFLICT, got ${again}`);
} finally {
  await kit.close();
}
check(await orm.isConnected(), "kit.close() closed the app's ORM");
await orm.close();
console.log(`mikro-orm ${version}: kit.migrate() and a sign-in on the kit's ORM, a sign-in on the app's own ORM`);
