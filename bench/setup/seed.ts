import { hkdfSync } from "node:crypto";
import type { Client } from "pg";

/**
 * The kit implementations' `secret`: their session tokens are hashed (the kit's default), so the
 * kit database holds each session twice, raw (for the floor, which reads tokens as given) and in
 * the kit's stored form (for the kits). `verify` in main.ts checks both find the seeded sessions.
 */
export const BENCH_SECRET = "bench-auth-secret-0123456789abcdef0123456789";

/** HMAC-SHA-256 pads of the kit's session-token key (HKDF of the secret, as the kit derives it): HMAC computed inside PostgreSQL with sha256() alone. */
function hmacPads(): [Buffer, Buffer] {
  const key = Buffer.concat([Buffer.from(hkdfSync("sha256", BENCH_SECRET, Buffer.alloc(0), "nextauth-adapter-kit session token v1", 32)), Buffer.alloc(32)]);
  return [Buffer.from(key.map((b) => b ^ 0x36)), Buffer.from(key.map((b) => b ^ 0x5c))];
}

/** The kit's stored form `h1:<base64url HMAC>` of the token expression, with the pads bound as $1 and $2. */
const STORED = (token: string) =>
  `'h1:' || rtrim(translate(encode(sha256($2::bytea || sha256($1::bytea || convert_to(${token}, 'UTF8'))), 'base64'), '+/', '-_'), '=')`;

/** Which table layout a database has: the kit's (MikroORM entities) or @auth/pg-adapter's. */
export type Family = "kit" | "pg";

/** What the workloads look up: existing session tokens, user ids and account keys, in a shuffled order. */
export interface Fixtures {
  sessionTokens: string[];
  userIds: string[];
  accounts: { provider: string; providerAccountId: string }[];
}

function count(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`bad row count ${n}`);
  return n;
}

// Rows are generated inside PostgreSQL (generate_series): a million sessions take seconds, not minutes.
// Tokens are 64 hex characters like Auth.js's; users have the usual columns filled.
const TOKEN = (i: string) => `encode(sha256(('bench-session-' || ${i})::bytea), 'hex')`;
const KIT_ID = (kind: string, i: string) => `md5('${kind}' || ${i})::uuid::text`;

/** Inserts `users` users (each with one GitHub account) and `sessions` live sessions spread over them. */
export async function seed(client: Client, family: Family, users: number, sessions: number): Promise<void> {
  const u = count(users);
  const s = count(sessions);
  if (family === "kit") {
    await client.query(
      `insert into users (id, name, email, email_verified, image)
       select ${KIT_ID("user", "i")}, 'User Number ' || i, 'user' || i || '@example.com', now(), 'https://avatars.example.com/u/' || i || '.png'
       from generate_series(1, ${u}) i`,
    );
    await client.query(
      `insert into accounts (id, user_id, type, provider, provider_account_id, access_token, scope, token_type)
       select ${KIT_ID("account", "i")}, ${KIT_ID("user", "i")}, 'oauth', 'github', 'gh-' || i, 'gho_' || md5('at' || i), 'read:user', 'bearer'
       from generate_series(1, ${u}) i`,
    );
    await addKitSessions(client, u, 1, s);
  } else {
    await client.query(
      `insert into users (name, email, "emailVerified", image)
       select 'User Number ' || i, 'user' || i || '@example.com', now(), 'https://avatars.example.com/u/' || i || '.png'
       from generate_series(1, ${u}) i`,
    );
    await client.query(
      `insert into accounts ("userId", type, provider, "providerAccountId", access_token, scope, token_type)
       select i, 'oauth', 'github', 'gh-' || i, 'gho_' || md5('at' || i), 'read:user', 'bearer'
       from generate_series(1, ${u}) i`,
    );
    await client.query(
      `insert into sessions ("userId", expires, "sessionToken")
       select 1 + (i - 1) % ${u}, now() + interval '30 days', ${TOKEN("i")}
       from generate_series(1, ${s}) i`,
    );
  }
  await client.query("analyze");
}

/** Adds kit sessions numbered `from`..`to` (the scale section grows a table in steps). */
export async function addKitSessions(client: Client, users: number, from: number, to: number): Promise<void> {
  await client.query(
    `insert into sessions (id, session_token, user_id, expires)
     select ${KIT_ID("session", "i")}, ${TOKEN("i")}, ${KIT_ID("user", `(1 + (i - 1) % ${count(users)})`)}, now() + interval '30 days'
     from generate_series(${count(from)}, ${count(to)}) i
     union all
     select ${KIT_ID("hsession", "i")}, ${STORED(TOKEN("i"))}, ${KIT_ID("user", `(1 + (i - 1) % ${count(users)})`)}, now() + interval '30 days'
     from generate_series(${count(from)}, ${count(to)}) i`,
    hmacPads(),
  );
}

/** Reads lookup keys back, shuffled (deterministically) so consecutive lookups hit unrelated rows. */
export async function readFixtures(client: Client, family: Family, limit: number): Promise<Fixtures> {
  const n = count(limit);
  const [tokens, users, accounts] =
    family === "kit"
      ? [
          `select session_token as v from sessions where session_token not like 'h1:%' order by md5(session_token) limit ${n}`,
          `select id as v from users order by md5(id) limit ${n}`,
          `select provider, provider_account_id as "providerAccountId" from accounts order by md5(id) limit ${n}`,
        ]
      : [
          `select "sessionToken" as v from sessions order by md5("sessionToken") limit ${n}`,
          `select id::text as v from users order by md5(id::text) limit ${n}`,
          `select provider, "providerAccountId" from accounts order by md5(id::text) limit ${n}`,
        ];
  return {
    sessionTokens: (await client.query(tokens)).rows.map((r) => r.v as string),
    userIds: (await client.query(users)).rows.map((r) => r.v as string),
    accounts: (await client.query(accounts)).rows as Fixtures["accounts"],
  };
}
