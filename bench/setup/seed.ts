import type { Client } from "pg";

/**
 * Which table layout a database has: the kit's (MikroORM entities) or @auth/pg-adapter's. "kit-hashed"
 * is the kit's database as a kit with hashed session tokens reads it: the same presented tokens,
 * found through the rows `addHashedKitSessions` stores under their SHA-256.
 */
export type Family = "kit" | "kit-hashed" | "pg";

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
     from generate_series(${count(from)}, ${count(to)}) i`,
  );
}

/**
 * Sessions `from`..`to` once more, stored as `hashVerificationTokens({ sessionTokens: true })` stores
 * them: the SHA-256 (hex) of the token, under ids starting "h-". The raw rows stay for the floor and
 * the unhashed contenders.
 */
export async function addHashedKitSessions(client: Client, users: number, from: number, to: number): Promise<void> {
  await client.query(
    `insert into sessions (id, session_token, user_id, expires)
     select 'h-' || ${KIT_ID("session", "i")}, encode(sha256(convert_to(${TOKEN("i")}, 'UTF8')), 'hex'), ${KIT_ID("user", `(1 + (i - 1) % ${count(users)})`)}, now() + interval '30 days'
     from generate_series(${count(from)}, ${count(to)}) i`,
  );
  await client.query("analyze sessions");
}

/** Reads lookup keys back, shuffled (deterministically) so consecutive lookups hit unrelated rows. */
export async function readFixtures(client: Client, family: Family, limit: number): Promise<Fixtures> {
  const n = count(limit);
  const [tokens, users, accounts] =
    family !== "pg"
      ? [
          `select session_token as v from sessions where id not like 'h-%' order by md5(session_token) limit ${n}`,
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
