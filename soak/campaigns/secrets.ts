/**
 * Campaign 6, secrets: full sign-ins with the README's production settings (the kit's `secret`, so
 * session tokens are hashed; encryptAccountTokens, hashVerificationTokens({ pepper }), sessionCache
 * with a secret on a Redis of the soak's own, logging at trace into a buffer, metrics):
 * e-mail and OAuth sign-ins through both facades, session reads (cache hits), refreshes,
 * sign-outs, and failures whose database messages carry the values (duplicate e-mail, session
 * token, link, account). Then: is any token, secret or e-mail in the log lines (the logging
 * plugin's and NextAuth v3's own logger) or the metrics? Is any raw session or verification token
 * in any text column of any table, or anywhere in Redis? Is any OAuth token in plaintext at rest?
 * Then forged entries are written into Redis: does a second instance serve any of them?
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import Redis from "ioredis";
import pino from "pino";
import { encryptAccountTokens, hashVerificationTokens, legacyTokenHash, logging, metrics, sessionCache } from "../../plugins";
import { Seal } from "../../plugins/session-cache/seal";
import { tokenId } from "../../plugins/session-cache/keys";
import { AdapterError, createAdapterKit, type AdapterKit } from "../../src";
import { check, info, loss } from "../report";
import type { Campaign } from "../support/context";
import { RedisServer } from "../support/redisServer";
import { errorRenderings } from "../../test/support/errorRenderings";
import { secretsInRedis, secretsInTables, secretsInText } from "../support/secretScan";

const hex = (bytes = 32) => randomBytes(bytes).toString("hex");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const inOneHour = () => new Date(Date.now() + 3_600_000);

/** Every value the run must not leak, by kind. */
interface Secrets {
  sessionTokens: string[];
  verificationTokens: string[];
  /** What the stores hold instead (hashes): secrets too, but allowed at rest. */
  hashedTokens: string[];
  /** The token Auth.js's core hands the adapter (already sha256(token + secret)); stored as given without a pepper. */
  coreTokens: string[];
  oauthTokens: string[];
  v3SessionAccessTokens: string[];
  appSecrets: string[];
  emails: string[];
}

export const secrets: Campaign = async (ctx) => {
  const db = await ctx.databases.create("secrets");
  const redisServer = await RedisServer.start();
  const redis = new Redis({ host: "127.0.0.1", port: redisServer.port, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
  redis.on("error", () => undefined);
  const prefix = `nak:soak:secrets:${process.pid}:`;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const metricsPlugin = metrics();
  // The README's production settings (Security): every secret from outside the database.
  const production = {
    database: db.url,
    secret: `soak-auth-secret-${hex(16)}`,
  };
  const cacheSecret = `soak-session-cache-secret-${hex(16)}`;
  const tokenKey = randomBytes(32).toString("base64");
  const kit = createAdapterKit({
    ...production,
    plugins: [
      encryptAccountTokens({ keys: [{ id: "soak", key: tokenKey }] }),
      hashVerificationTokens({ pepper: `soak-pepper-${hex(32)}` }),
      sessionCache({ redis, prefix, secret: cacheSecret }),
      logging({ logger: pino({ level: "trace" }, sink), level: "trace" }),
      metricsPlugin,
    ],
  });
  let forged = { attempts: 0, accepted: 0 };
  const s: Secrets = { sessionTokens: [], verificationTokens: [], hashedTokens: [], coreTokens: [], oauthTokens: [], v3SessionAccessTokens: [], appSecrets: [], emails: [] };
  const failures: string[] = [];
  /** The message of every error the calls threw: an app may log them as they are. */
  const messages: string[] = [];
  /** Every error the calls threw as an app or error tracker prints it (inspect, JSON, pino's serializer, the cause chain). */
  const objects: string[] = [];
  let flows = 0;
  let metricsText = "";
  try {
    await kit.synchronize();
    for (let r = 0; r < ctx.sizes.signInRepeats && performance.now() < ctx.deadline; r++) {
      await authjsSignIns(kit, r, s, failures, messages, objects);
      await legacySignIns(kit, r, s, failures, lines, messages, objects);
      flows += 4;
    }
    metricsText = await metricsPlugin.registry.metrics();
    forged = await forgeCacheEntries(kit, () => createAdapterKit({ ...production, plugins: [sessionCache({ redis, prefix, secret: cacheSecret })] }), redis, prefix);
  } finally {
    await kit.close();
  }
  await new Promise((resolve) => setImmediate(resolve));

  const logText = lines.join("");
  const secretList = [...s.sessionTokens, ...s.verificationTokens, ...s.hashedTokens, ...s.coreTokens, ...s.oauthTokens, ...s.v3SessionAccessTokens, ...s.appSecrets, ...s.emails];
  const inLogs = secretsInText(`${logText}\n${metricsText}`, secretList);
  const inMessages = secretsInText(messages.join("\n"), secretList);
  const inObjects = secretsInText(objects.join("\n"), secretList);
  const raw = [...s.sessionTokens, ...s.verificationTokens];
  const atRest = await secretsInTables(db.url, raw);
  const sessionAtRest = await secretsInTables(db.url, s.sessionTokens);
  const coreAtRest = await secretsInTables(db.url, s.coreTokens);
  const oauthAtRest = await secretsInTables(db.url, s.oauthTokens);
  const inRedis = await secretsInRedis(redis, prefix, raw);
  redis.disconnect();
  await redisServer.stop();
  await ctx.databases.drop(db);

  const logLines = logText.split("\n").filter(Boolean);
  const errorLines = logLines.filter((l) => l.includes('"outcome":"error"')).length;
  const kindOf = (value: string) => (Object.entries(s) as Array<[string, string[]]>).find(([, list]) => list.includes(value))?.[0] ?? "?";
  return {
    title: "Secrets",
    figures: {
      secretsInLogs: loss(inLogs.length),
      secretsInErrorMessages: loss(inMessages.length),
      secretsInErrorObjects: loss(inObjects.length),
      rawTokensAtRest: loss(atRest.found.length),
      oauthTokensAtRest: loss(oauthAtRest.found.length),
      sessionTokensAtRest: loss(sessionAtRest.found.length),
      forgedCacheEntriesAccepted: loss(forged.accepted),
      forgedCacheEntriesTried: info(forged.attempts),
      rawTokensInRedis: loss(inRedis.found.length),
      unexpectedOutcomes: loss(failures.length),
      logCoversFailures: check(errorLines > 0 && logLines.length > 0),
      signInFlows: info(flows),
      secretsChecked: info(secretList.length),
      logLines: info(logLines.length),
      columnsScanned: info(atRest.columns),
    },
    details: {
      secretsInLogs: inLogs.map((v) => `${kindOf(v)}: ${v.slice(0, 12)}…`),
      secretsInErrorMessages: inMessages.map((v) => `${kindOf(v)}: ${v.slice(0, 12)}…`),
      secretsInErrorObjects: inObjects.map((v) => `${kindOf(v)}: ${v.slice(0, 12)}…`),
      errorMessagesScanned: messages.length,
      rawTokensAtRest: atRest.found.map((v) => `${kindOf(v)}: ${v.slice(0, 12)}…`),
      rawTokensInRedis: inRedis.found.map((v) => `${kindOf(v)}: ${v.slice(0, 12)}…`),
      unexpectedOutcomes: failures.slice(0, 10),
      errorLogLines: errorLines,
      redisKeysScanned: inRedis.keys,
      oauthTokensAtRest: oauthAtRest.found.map((v) => `${kindOf(v)}: ${v.slice(0, 12)}…`),
      oauthTokensChecked: s.oauthTokens.length,
      authjsCoreTokensStoredAsGiven: `${coreAtRest.found.length} of ${s.coreTokens.length}`,
      v3SessionAccessTokensStoredAsGiven: s.v3SessionAccessTokens.length,
      secretsByKind: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, (v as string[]).length])),
    },
    notes: [
      "Kit: the README's production settings: createAdapterKit({ database, secret }) (session tokens stored as an HMAC), encryptAccountTokens({ keys }), hashVerificationTokens({ pepper }), sessionCache({ redis, secret }), logging({ level: 'trace' }) into a buffer, metrics(). NextAuth v3 calls also pass a v3 logger writing into the same buffer.",
      "oauthTokensAtRest: OAuth access, refresh and id tokens (Auth.js and v3 linkAccount) found in plaintext in any text column. sessionTokensAtRest: session tokens (both facades) found in any text column. forgedCacheEntriesAccepted: forged Redis entries (no MAC, a made-up key, a genuine entry moved to another token, a genuine entry altered, an entry for a token with no session) a second instance served as a session.",
      "secretsInErrorMessages: the same values found in the message of any error the calls threw (an app may log error.message as it is).",
      "secretsInErrorObjects: the same values found in any error as printed whole: util.inspect at full depth (console.error), JSON.stringify, pino's standard err serializer, and every own property along the cause chain.",
      "secretsInLogs: distinct values found in the log buffer or the Prometheus text: session tokens (raw and hashed), e-mail tokens (raw, the Auth.js core's hash, the stored hash), OAuth access/refresh/id tokens, v3 session access tokens, the app secrets, and the users' e-mail addresses (logEmails is off).",
      "rawTokensAtRest: raw session tokens and raw e-mail (verification) tokens found in any text column of any table. NextAuth v3 session access tokens are stored as given.",
      "Auth.js hands the adapter sha256(token + secret), not the e-mailed token; without a pepper that hash is stored as given (details.authjsCoreTokensStoredAsGiven). rawTokensInRedis: raw session or e-mail tokens in any Redis key or value under the cache's prefix.",
    ],
  };
};

/** Auth.js: an e-mail sign-in and an OAuth sign-in, each to a session read, refreshed and signed out; and failing calls. */
async function authjsSignIns(kit: AdapterKit, r: number, s: Secrets, failures: string[], messages: string[], objects: string[]): Promise<void> {
  const a = kit.authjs;
  const authSecret = `auth-secret-${hex(16)}`;
  s.appSecrets.push(authSecret);
  const expect = (what: string, ok: boolean) => ok || failures.push(`authjs ${what}`);

  // E-mail: the core e-mails `raw` and hands the adapter sha256(raw + secret).
  const email = `Email.User.${r}.${hex(4)}@secrets.example`;
  s.emails.push(email);
  const raw = hex();
  const core = sha256(`${raw}${authSecret}`);
  s.verificationTokens.push(raw);
  s.coreTokens.push(core);
  await a.createVerificationToken({ identifier: email, token: core, expires: inOneHour() });
  expect("useVerificationToken", (await a.useVerificationToken({ identifier: email, token: core }))?.identifier === email);
  expect("second useVerificationToken", (await a.useVerificationToken({ identifier: email, token: core })) === null);
  expect("getUserByEmail (new)", (await a.getUserByEmail(email)) === null);
  const user = await a.createUser({ email, emailVerified: new Date(), name: `Email User ${r}` });
  await session(kit, user.id, s, expect);

  // OAuth: a new user linked to a provider account carrying tokens.
  const oauthEmail = `oauth.user.${r}.${hex(4)}@secrets.example`;
  s.emails.push(oauthEmail);
  const tokens = { access_token: `gho_${hex(18)}`, refresh_token: `ghr_${hex(24)}`, id_token: `eyJhbGciOiJSUzI1NiJ9.${hex(40)}.${hex(32)}` };
  s.oauthTokens.push(...Object.values(tokens));
  const providerAccountId = `gh-${r}-${hex(4)}`;
  expect("getUserByAccount (new)", (await a.getUserByAccount({ provider: "github", providerAccountId })) === null);
  const oauthUser = await a.createUser({ email: oauthEmail, emailVerified: null, name: `OAuth User ${r}` });
  const account = { userId: oauthUser.id, type: "oauth" as const, provider: "github", providerAccountId, ...tokens, token_type: "bearer" as const, scope: "read:user", expires_at: Math.floor(Date.now() / 1000) + 3600 };
  await a.linkAccount(account);
  expect("getUserByAccount", (await a.getUserByAccount({ provider: "github", providerAccountId }))?.id === oauthUser.id);
  expect("getAccount", (await a.getAccount(providerAccountId, "github"))?.access_token === tokens.access_token);
  const sessionToken = await session(kit, oauthUser.id, s, expect, true);

  // Failures whose driver messages carry the values.
  const caught = (e: unknown) => {
    messages.push(String((e as Error)?.message));
    objects.push(errorRenderings(e));
    return e;
  };
  const conflict = async (what: string, call: () => Promise<unknown>) => expect(`${what} conflict`, AdapterError.is(await call().catch(caught), "CONFLICT"));
  await conflict("createUser", () => a.createUser({ email, emailVerified: null, name: "again" }));
  await conflict("linkAccount", () => a.linkAccount({ ...account, userId: user.id }));
  await conflict("createSession", () => a.createSession({ sessionToken, userId: oauthUser.id, expires: inOneHour() }));
  const again = hex();
  s.verificationTokens.push(again);
  const againCore = sha256(`${again}${authSecret}`);
  s.coreTokens.push(againCore);
  await a.createVerificationToken({ identifier: email, token: againCore, expires: inOneHour() });
  await conflict("createVerificationToken", () => a.createVerificationToken({ identifier: email, token: againCore, expires: inOneHour() }));
  // A value with a line break and a failing statement: the message must still not carry the row.
  const newline = { ...account, providerAccountId: `${providerAccountId}-x`, scope: "read:user\nrepo", token_type: "x".repeat(300) as "bearer" };
  expect("linkAccount too long", AdapterError.is(await a.linkAccount(newline).catch(caught), "INVALID_INPUT"));
}

/** A session from creation to sign-out: created, read twice (a cache hit), refreshed. Kept when `keep`. */
async function session(kit: AdapterKit, userId: string, s: Secrets, expect: (what: string, ok: boolean) => unknown, keep = false): Promise<string> {
  const a = kit.authjs;
  const sessionToken = hex();
  s.sessionTokens.push(sessionToken);
  s.hashedTokens.push(sha256(sessionToken));
  await a.createSession({ sessionToken, userId, expires: inOneHour() });
  expect("getSessionAndUser", (await a.getSessionAndUser(sessionToken))?.user.id === userId);
  expect("getSessionAndUser (cached)", (await a.getSessionAndUser(sessionToken))?.session.sessionToken === sessionToken);
  expect("updateSession", (await a.updateSession({ sessionToken, expires: inOneHour() }))?.sessionToken === sessionToken);
  if (!keep) {
    await a.deleteSession(sessionToken);
    expect("getSessionAndUser after sign-out", (await a.getSessionAndUser(sessionToken)) === null);
  }
  return sessionToken;
}

/** NextAuth v3: an e-mail sign-in and an OAuth sign-in with the seed's positional methods; and failing calls. */
async function legacySignIns(kit: AdapterKit, r: number, s: Secrets, failures: string[], lines: string[], messages: string[], objects: string[]): Promise<void> {
  const v3Secret = `v3-secret-${hex(16)}`;
  s.appSecrets.push(v3Secret);
  const logger = {
    error: (code: string, ...details: unknown[]) => void lines.push(`${JSON.stringify({ v3: "error", code, details })}\n`),
    debug: (code: string, ...details: unknown[]) => void lines.push(`${JSON.stringify({ v3: "debug", code, details })}\n`),
  };
  const v3 = await kit.legacy.getAdapter({ secret: v3Secret, baseUrl: "http://localhost:3000", logger });
  const expect = (what: string, ok: boolean) => ok || failures.push(`v3 ${what}`);
  const email = `v3.user.${r}.${hex(4)}@secrets.example`;
  s.emails.push(email);
  const sent: string[] = [];
  const provider = { maxAge: 600, sendVerificationRequest: ({ token }: { token: string }) => void sent.push(token) };

  const token = hex();
  s.verificationTokens.push(token);
  s.hashedTokens.push(legacyTokenHash(token, v3Secret));
  await v3.createVerificationRequest(email, `http://localhost:3000/api/auth/callback/email?token=${token}`, token, v3Secret, provider);
  expect("e-mail sent with the raw token", sent.at(-1) === token);
  expect("getVerificationRequest", (await v3.getVerificationRequest(email, token, v3Secret, provider)) !== null);
  await v3.deleteVerificationRequest(email, token, v3Secret, provider);
  expect("getUserByEmail (new)", (await v3.getUserByEmail(email)) === null);
  const user = await v3.createUser({ name: `V3 User ${r}`, email, image: null, emailVerified: true });
  const session = await v3.createSession(user);
  s.sessionTokens.push(session.sessionToken);
  s.hashedTokens.push(sha256(session.sessionToken));
  if (session.accessToken) s.v3SessionAccessTokens.push(session.accessToken);
  expect("getSession", (await v3.getSession(session.sessionToken))?.userId === user.id);
  expect("getSession (cached)", (await v3.getSession(session.sessionToken))?.userId === user.id);
  await v3.updateSession(session, true);
  await v3.deleteSession(session.sessionToken);
  expect("getSession after sign-out", (await v3.getSession(session.sessionToken)) === null);
  // A second device stays signed in: its row is what a table scan must not find in the clear.
  const kept = await v3.createSession(user);
  s.sessionTokens.push(kept.sessionToken);
  s.hashedTokens.push(sha256(kept.sessionToken));
  if (kept.accessToken) s.v3SessionAccessTokens.push(kept.accessToken);
  expect("getSession (second device)", (await v3.getSession(kept.sessionToken))?.userId === user.id);

  // OAuth through v3: linkAccount's positional tokens.
  const refresh = `v3r_${hex(20)}`;
  const access = `v3a_${hex(20)}`;
  s.oauthTokens.push(refresh, access);
  const providerAccountId = `g-${r}-${randomUUID()}`;
  await v3.linkAccount(user.id, "google", "oauth", providerAccountId, refresh, access, inOneHour());
  expect("getUserByProviderAccountId", (await v3.getUserByProviderAccountId("google", providerAccountId))?.id === user.id);

  // Failures the v3 logger hears about: the same link twice, the same account twice.
  const second = hex();
  s.verificationTokens.push(second);
  s.hashedTokens.push(legacyTokenHash(second, v3Secret));
  await v3.createVerificationRequest(email, "http://localhost:3000/cb", second, v3Secret, provider);
  const caught = (e: unknown) => {
    messages.push(String((e as Error)?.message));
    objects.push(errorRenderings(e));
    return e;
  };
  const duplicate = await v3.createVerificationRequest(email, "http://localhost:3000/cb", second, v3Secret, provider).catch(caught);
  expect("createVerificationRequest conflict", AdapterError.is(duplicate, "CONFLICT"));
  const relink = await v3.linkAccount(user.id, "google", "oauth", providerAccountId, refresh, access, inOneHour()).catch(caught);
  expect("linkAccount conflict", AdapterError.is(relink, "CONFLICT"));
  // A failing statement whose values hold a line break: v3's logger gets the message as it is.
  const odd = await v3.linkAccount(user.id, "google", `oauth\n${"x".repeat(40)}` as "oauth", `${providerAccountId}-2`, refresh, access, inOneHour()).catch(caught);
  expect("linkAccount with an overlong type", AdapterError.is(odd, "INVALID_INPUT"));
}

/**
 * Writes forged values straight into the cache's Redis keys and asks a second instance (whose
 * in-process tier is empty) for each: any answer naming another user, or a session for a token
 * that has none, is a forged entry accepted.
 */
async function forgeCacheEntries(kit: AdapterKit, secondInstance: () => AdapterKit, redis: Redis, prefix: string): Promise<{ attempts: number; accepted: number }> {
  const a = kit.authjs;
  const signIn = async (n: string) => {
    const user = await a.createUser({ email: `forge-${n}-${hex(4)}@example.com`, emailVerified: null });
    const sessionToken = randomUUID();
    await a.createSession({ sessionToken, userId: user.id, expires: inOneHour() });
    return { user, sessionToken };
  };
  const victim = await signIn("victim");
  const attacker = await signIn("attacker");
  await a.getSessionAndUser(victim.sessionToken); // cached, sealed
  const valueKey = async (token: string) => `${prefix}v:${(await redis.get(`${prefix}epoch`)) ?? "0"}:${tokenId(token)}`;
  const genuine = (await redis.get(await valueKey(victim.sessionToken))) ?? "";
  const json = JSON.stringify({ session: { userId: victim.user.id, expires: { $date: Date.now() + 3_600_000 } }, user: victim.user });
  const nobody = randomUUID(); // a token with no session at all
  const attempts: Array<[string, string]> = [
    [attacker.sessionToken, json],
    [attacker.sessionToken, new Seal("a-secret-the-attacker-made-up-0123456789").seal(tokenId(attacker.sessionToken), json)],
    [attacker.sessionToken, genuine],
    [attacker.sessionToken, genuine.replace(victim.user.id, attacker.user.id)],
    [nobody, json],
    [nobody, genuine],
  ];
  let accepted = 0;
  for (const [token, value] of attempts) {
    const second = secondInstance();
    try {
      await redis.set(await valueKey(token), value, "PX", 60_000);
      const answer = await second.authjs.getSessionAndUser(token);
      const rightful = token === attacker.sessionToken ? attacker.user.id : undefined;
      if (answer && answer.user.id !== rightful) accepted++;
    } finally {
      await second.close();
    }
  }
  return { attempts: attempts.length, accepted };
}
