import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { createAdapterKit, createEntities, type AdapterAccount, type AdapterKit } from "../../src";
import { AdapterError } from "../../src/plugin-api";
import { createTestDatabase, query, type TestDatabase } from "../../test/support/database";
import { logging } from "../logging";
import { metrics } from "../metrics";
import { encryptAccountTokens, type EncryptAccountTokensOptions } from ".";

const OLD = { id: "2026-06", key: randomBytes(32).toString("base64") };
const NEW = { id: "2026-12", key: randomBytes(32) };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // Creates the tables once; the kits below find them.
  const kit = createAdapterKit({ database: db.url, synchronize: true });
  await kit.authjs.getUser("none");
  await kit.close();
});
afterAll(() => db.drop());

async function withKit(options: EncryptAccountTokensOptions, fn: (kit: AdapterKit) => Promise<void>, more: Parameters<typeof createAdapterKit>[0] = {}) {
  const kit = createAdapterKit({ database: db.url, ...more, plugins: [encryptAccountTokens(options), ...(more.plugins ?? [])] });
  try {
    await fn(kit);
  } finally {
    await kit.close();
  }
}

let n = 0;
/** An account with tokens no other test uses, for a fresh user. */
async function newAccount(kit: AdapterKit, provider = "github"): Promise<AdapterAccount> {
  const tag = `${++n}-${randomBytes(6).toString("hex")}`;
  const user = await kit.authjs.createUser({ email: `u${tag}@example.com`, emailVerified: null });
  return {
    userId: user.id,
    type: "oauth",
    provider,
    providerAccountId: `pa-${tag}`,
    access_token: `gho_access_${tag}`,
    refresh_token: `ghr_refresh_${tag}`,
    id_token: `eyJ.id_${tag}`,
    token_type: "bearer",
    scope: "read:user",
    expires_at: 2_000_000_000,
  };
}

const rawRow = async (a: AdapterAccount) =>
  (await query(db.url, "select * from accounts where provider = $1 and provider_account_id = $2", [a.provider, a.providerAccountId]))[0]!;

async function refused(promise: Promise<unknown>): Promise<AdapterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!AdapterError.is(error)) throw new Error(`expected an AdapterError, got ${String(error)}`);
  return error;
}

test("no OAuth token reaches the database in plaintext; every facade reads them back", async () => {
  await withKit({ keys: [NEW] }, async (kit) => {
    const account = await newAccount(kit);
    const linked = await kit.authjs.linkAccount(account);
    expect(linked).toMatchObject({ access_token: account.access_token, refresh_token: account.refresh_token, id_token: account.id_token });

    const row = await rawRow(account);
    const stored = JSON.stringify(row);
    for (const token of [account.access_token!, account.refresh_token!, account.id_token!]) expect(stored).not.toContain(token);
    expect(row.access_token).toMatch(/^enc:v1:2026-12:/);
    expect(row).toMatchObject({ scope: "read:user", token_type: "bearer", provider: "github" }); // the rest stays readable

    expect(await kit.authjs.getAccount(account.providerAccountId, "github")).toMatchObject({ access_token: account.access_token, id_token: account.id_token });
    expect(await kit.authjs.unlinkAccount(account)).toMatchObject({ refresh_token: account.refresh_token });

    // NextAuth v3 links accounts with positional tokens: they are encrypted too.
    const v3 = await kit.legacy.getAdapter({ secret: "s" });
    const other = await newAccount(kit, "gitlab");
    await v3.linkAccount(other.userId, "gitlab", "oauth", other.providerAccountId, other.refresh_token, other.access_token, null);
    const v3row = JSON.stringify(await rawRow(other));
    expect(v3row).not.toContain(other.access_token);
    expect(v3row).not.toContain(other.refresh_token);
    expect(await kit.call("getAccount", { provider: "gitlab", providerAccountId: other.providerAccountId })).toMatchObject({ access_token: other.access_token });
  });
});

test("key rotation: old values read under the new ring, new values use the new key, a retired key's rows are refused", async () => {
  let account!: AdapterAccount;
  await withKit({ keys: [OLD] }, async (kit) => {
    account = await newAccount(kit);
    await kit.authjs.linkAccount(account);
  });
  expect((await rawRow(account)).access_token).toMatch(/^enc:v1:2026-06:/);

  await withKit({ keys: [NEW, OLD] }, async (kit) => {
    expect(await kit.authjs.getAccount(account.providerAccountId, "github")).toMatchObject({ access_token: account.access_token });
    const fresh = await newAccount(kit);
    await kit.authjs.linkAccount(fresh);
    expect((await rawRow(fresh)).refresh_token).toMatch(/^enc:v1:2026-12:/);
  });

  await withKit({ keys: [NEW] }, async (kit) => {
    const error = await refused(kit.authjs.getAccount(account.providerAccountId, "github"));
    expect(error.code).toBe("DECRYPTION_FAILED");
    expect(error.message).toContain('"github"');
    expect(error.message).toContain("2026-06");
  });
});

test("a ciphertext copied to another row does not decrypt, and the error names the provider, never the value", async () => {
  await withKit({ keys: [NEW] }, async (kit) => {
    const mine = await newAccount(kit, "google");
    const theirs = await newAccount(kit, "google");
    await kit.authjs.linkAccount(mine);
    await kit.authjs.linkAccount(theirs);
    // An attacker with write access moves the victim's encrypted token onto their own row.
    await query(db.url, "update accounts set access_token = (select access_token from accounts where provider_account_id = $1) where provider_account_id = $2", [
      theirs.providerAccountId,
      mine.providerAccountId,
    ]);
    const error = await refused(kit.authjs.getAccount(mine.providerAccountId, "google"));
    expect(error.code).toBe("DECRYPTION_FAILED");
    expect(error.message).toContain('"google"');
    expect(error.message).toContain("access_token");
    expect(error.message).not.toContain(theirs.access_token);
    expect(error.message).not.toContain("enc:v1");
    // Swapping columns within one row fails the same way.
    await query(db.url, "update accounts set id_token = refresh_token where provider_account_id = $1", [theirs.providerAccountId]);
    expect((await refused(kit.authjs.getAccount(theirs.providerAccountId, "google"))).code).toBe("DECRYPTION_FAILED");
  });
});

test("a tampered value is DECRYPTION_FAILED, logged and counted without any value", async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const metricsPlugin = metrics();
  await withKit(
    { keys: [NEW] },
    async (kit) => {
      const account = await newAccount(kit);
      await kit.authjs.linkAccount(account);
      const row = await rawRow(account);
      const body = Buffer.from(String(row.refresh_token).split(":")[3]!, "base64url");
      body[20] = body[20]! ^ 0x40;
      await query(db.url, "update accounts set refresh_token = $1 where provider_account_id = $2", [
        `enc:v1:2026-12:${body.toString("base64url")}`,
        account.providerAccountId,
      ]);
      const error = await refused(kit.authjs.getAccount(account.providerAccountId, "github"));
      expect(error.code).toBe("DECRYPTION_FAILED");

      const exposition = await metricsPlugin.registry.metrics();
      expect(exposition).toMatch(/auth_adapter_operation_errors_total\{operation="getAccount",code="DECRYPTION_FAILED"\} 1/);
      const logged = lines.join("");
      expect(logged).toContain("DECRYPTION_FAILED");
      for (const secret of [account.access_token!, account.refresh_token!, account.id_token!, String(row.refresh_token).slice(16, 40)]) {
        expect(logged).not.toContain(secret);
        expect(exposition).not.toContain(secret);
      }
    },
    { plugins: [metricsPlugin, logging({ logger: pino({ level: "trace" }, sink) })] },
  );
});

test("plaintext rows from before the plugin: refused by default, read with allowPlaintext", async () => {
  let account!: AdapterAccount;
  const plain = createAdapterKit({ database: db.url });
  try {
    account = await newAccount(plain);
    await plain.authjs.linkAccount(account);
  } finally {
    await plain.close();
  }
  expect((await rawRow(account)).access_token).toBe(account.access_token);

  await withKit({ keys: [NEW] }, async (kit) => {
    const error = await refused(kit.authjs.getAccount(account.providerAccountId, "github"));
    expect(error.code).toBe("DECRYPTION_FAILED");
    expect(error.message).toContain("allowPlaintext");
    expect(error.message).not.toContain(account.access_token);
  });
  await withKit({ keys: [NEW], allowPlaintext: true }, async (kit) => {
    expect(await kit.authjs.getAccount(account.providerAccountId, "github")).toMatchObject({ access_token: account.access_token, refresh_token: account.refresh_token });
    // New rows are encrypted all the same during the migration window.
    const fresh = await newAccount(kit);
    await kit.authjs.linkAccount(fresh);
    expect(JSON.stringify(await rawRow(fresh))).not.toContain(fresh.access_token);
  });
});

test("keys from an async provider (a KMS); an extra app-named column is encrypted too", async () => {
  let calls = 0;
  const kms = async () => {
    calls++;
    return [NEW];
  };
  const entities = createEntities({ tables: { account: "accounts_kms" }, properties: { account: { oauth_token_secret: { type: "text", nullable: true } } } });
  const kit = createAdapterKit({ database: db.url, synchronize: true, entities, plugins: [encryptAccountTokens({ keys: kms, fields: ["oauth_token_secret"] })] });
  try {
    const account = { ...(await newAccount(kit, "twitter")), oauth_token_secret: "oauth1-secret-value" };
    await kit.authjs.linkAccount(account);
    const [row] = await query(db.url, "select * from accounts_kms where provider_account_id = $1", [account.providerAccountId]);
    expect(JSON.stringify(row)).not.toContain("oauth1-secret-value");
    expect(JSON.stringify(row)).not.toContain(account.access_token);
    expect(await kit.authjs.getAccount(account.providerAccountId, "twitter")).toMatchObject({ oauth_token_secret: "oauth1-secret-value" });
    expect(calls).toBe(1);
  } finally {
    await kit.close();
  }
});

test("a key of the wrong length is CONFIGURATION when the plugin is created; a failing or bad key provider fails the call as CONFIGURATION", async () => {
  expect(() => encryptAccountTokens({ keys: [{ id: "k", key: randomBytes(31) }] })).toThrow(expect.objectContaining({ code: "CONFIGURATION" }));
  expect(() => encryptAccountTokens({ keys: [NEW], fields: ["providerAccountId"] })).toThrow(expect.objectContaining({ code: "CONFIGURATION" }));
  let fail = true;
  await withKit(
    {
      keys: async () => {
        if (fail) throw new Error("KMS unavailable");
        return [{ id: "short", key: "c2hvcnQ=" }];
      },
    },
    async (kit) => {
      const account = await newAccount(kit);
      expect((await refused(kit.authjs.linkAccount(account))).code).toBe("CONFIGURATION");
      fail = false; // retried on the next call, which finds a key of the wrong length
      expect((await refused(kit.authjs.linkAccount(account))).code).toBe("CONFIGURATION");
      expect(await query(db.url, "select 1 from accounts where provider_account_id = $1", [account.providerAccountId])).toEqual([]);
    },
  );
});
