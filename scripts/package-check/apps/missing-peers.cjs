// Runs in an app that installed only the tarball: no optional peer is present. The kit must still
// work on its memory stores, and each feature that needs a missing package must say which one.
const assert = require("node:assert/strict");
const { createAdapterKit, AdapterError } = require("nextauth-adapter-kit");
const { hashVerificationTokens, sessionCache, logging, metrics } = require("nextauth-adapter-kit/plugins");

for (const name of ["@auth/core", "@mikro-orm/better-sqlite", "better-sqlite3", "ioredis", "pino", "prom-client", "@opentelemetry/api"]) {
  assert.throws(() => require.resolve(name), { code: "MODULE_NOT_FOUND" }, `${name} is installed: the app should only have the tarball's own dependencies`);
}

/** Runs `use` and expects an AdapterError CONFIGURATION naming `pkg`. */
async function expectMissing(pkg, feature, use) {
  let kit;
  try {
    await use((k) => (kit = k));
    assert.fail(`${feature} worked without ${pkg}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    assert.ok(error instanceof AdapterError, `${feature} without ${pkg}: expected an AdapterError, got ${error && error.stack}`);
    assert.equal(error.code, "CONFIGURATION", `${feature} without ${pkg}: code ${error.code}`);
    assert.match(error.message, new RegExp(pkg.replace(/[/@.-]/g, "\\$&")), `${feature} without ${pkg}: the message does not name the package`);
    console.log(`missing ${pkg}: ${feature} -> AdapterError ${error.code}: ${error.message}`);
  } finally {
    await kit?.close();
  }
}

async function main() {
  // The embedded default is SQLite: without the driver the first use says what to install.
  await expectMissing("@mikro-orm/better-sqlite", "createAdapterKit() (embedded SQLite)", async (keep) => {
    const kit = keep(createAdapterKit());
    await kit.authjs.getUserByEmail("nobody@example.com");
  });
  await expectMissing("pino", "logging()", async () => logging());
  await expectMissing("prom-client", "metrics()", async () => metrics());

  // Everything that needs no optional package works: memory stores, token hashing, in-process cache.
  const kit = createAdapterKit({ stores: "memory", plugins: [hashVerificationTokens(), sessionCache({ ttlMs: 60_000 })] });
  try {
    const user = await kit.authjs.createUser({ email: "bare@example.com", emailVerified: null });
    const expires = new Date(Date.now() + 60_000);
    await kit.authjs.createSession({ sessionToken: "bare-session", userId: user.id, expires });
    const found = await kit.authjs.getSessionAndUser("bare-session");
    assert.equal(found && found.user.email, "bare@example.com", "memory stores: the session was not found");
    console.log("no optional peers: memory stores with hashVerificationTokens() and sessionCache() work");
  } finally {
    await kit.close();
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exitCode = 1;
});
