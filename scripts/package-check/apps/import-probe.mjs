// The ESM twin of import-probe.cjs: `import` both entry points (named imports from a CommonJS
// package) and write what that left behind to the file named by argv[2]. Prints nothing itself.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const OPTIONAL = /node_modules\/(@auth\/core|@mikro-orm\/better-sqlite|@mikro-orm\/migrations|better-sqlite3|ioredis|pino|prom-client|@opentelemetry\/api)\//;
// Node creates the stdio streams lazily, on first access; a dependency that merely asks whether
// stderr is a terminal (debug, colorette) creates them. That is neither a connection nor output,
// so they exist before the snapshot, as in any app that has logged a line.
void process.stdout.fd;
void process.stderr.fd;
const hadReflect = typeof Reflect.getMetadata === "function";
const before = { resources: process.getActiveResourcesInfo(), handles: process._getActiveHandles().length };

const kit = await import("nextauth-adapter-kit");
const plugins = await import("nextauth-adapter-kit/plugins");

writeFileSync(
  process.argv[2],
  JSON.stringify({
    before,
    after: { resources: process.getActiveResourcesInfo(), handles: process._getActiveHandles().length },
    hadReflect,
    hasReflect: typeof Reflect.getMetadata === "function",
    // Named exports as Node's CommonJS analysis sees them: what `import { x } from` can reach.
    exports: ["createAdapterKit", "AdapterError", "Operation", "Plugin"].filter((name) => typeof kit[name] === "function"),
    pluginExports: ["hashVerificationTokens", "sessionCache", "logging", "metrics"].filter((name) => typeof plugins[name] === "function"),
    optionalLoaded: Object.keys(createRequire(import.meta.url).cache).filter((path) => OPTIONAL.test(path)),
  }),
);
