// CommonJS consumer: the NextAuth v3 contract through kit.legacy on the embedded default (SQLite
// in memory), with both entry points loaded by require(). Exits 0 when it worked.
const assert = require("node:assert/strict");
const { createAdapterKit, AdapterError } = require("nextauth-adapter-kit");
const { sessionCache } = require("nextauth-adapter-kit/plugins");

async function main() {
  const kit = createAdapterKit({ plugins: [sessionCache({ ttlMs: 60_000 })] });
  try {
    const secret = "package-check-secret";
    const adapter = await kit.legacy.getAdapter({ secret, baseUrl: "http://localhost:3000", session: { maxAge: 3600, updateAge: 600 } });
    const user = await adapter.createUser({ name: "Cee", email: "cjs@example.com", image: null, emailVerified: null });
    const session = await adapter.createSession(user);
    assert.match(session.sessionToken, /^[0-9a-f]{64}$/, "v3 session tokens are 32 random bytes in hex");
    const found = await adapter.getSession(session.sessionToken);
    assert.equal(found && String(found.userId), String(user.id), "getSession did not return the new session");

    let sent;
    const provider = { id: "email", type: "email", maxAge: 600, sendVerificationRequest: (params) => void (sent = params) };
    const token = "raw-token-from-the-e-mail";
    const stored = await adapter.createVerificationRequest("cjs@example.com", "http://localhost:3000/api/auth/callback/email", token, secret, provider);
    assert.equal(sent && sent.token, token, "the provider must receive the raw token");
    assert.notEqual(stored.token, token, "the stored token must be hashed");
    const request = await adapter.getVerificationRequest("cjs@example.com", token, secret, provider);
    assert.ok(request, "getVerificationRequest did not find the request");
    await adapter.deleteVerificationRequest("cjs@example.com", token, secret, provider);
    assert.equal(await adapter.getVerificationRequest("cjs@example.com", token, secret, provider), null, "the request was not deleted");

    await assert.rejects(adapter.createSession({}), (error) => error instanceof AdapterError && error.code === "INVALID_INPUT");
    // @mikro-orm/migrations is an optional peer this app did not install: kit.migrate() says so.
    await assert.rejects(kit.migrate(), (error) => error instanceof AdapterError && error.code === "CONFIGURATION" && /@mikro-orm\/migrations/.test(error.message));
    console.log(`cjs: kit.legacy created user ${user.email}, a session and a verification request on the embedded SQLite default; kit.migrate() names the missing @mikro-orm/migrations`);
  } finally {
    await kit.close();
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exitCode = 1;
});
