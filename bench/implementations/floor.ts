import { randomUUID } from "node:crypto";
import { Pool } from "pg";
import type { Implementation, NewAccount, NewSession, NewToken, NewUser } from "./types";

/** Pool size of every PostgreSQL-backed contender: knex's default, which the kit runs with. */
export const POOL_SIZE = 10;

// Named prepared statements: parsed and planned once per connection, then only bound and executed.
const GET_SESSION_AND_USER = {
  name: "floor_get_session_and_user",
  text:
    "select s.id as s_id, s.session_token, s.user_id, s.expires, u.id, u.name, u.email, u.email_verified, u.image " +
    "from sessions s join users u on u.id = s.user_id where s.session_token = $1",
};
const CREATE_SESSION = {
  name: "floor_create_session",
  text: "insert into sessions (id, session_token, user_id, expires) values (gen_random_uuid()::text, $1, $2, $3)",
};
const CREATE_TOKEN = { name: "floor_create_token", text: "insert into verification_tokens (identifier, token, expires) values ($1, $2, $3)" };
const USE_TOKEN = {
  name: "floor_use_token",
  text: "delete from verification_tokens where identifier = $1 and token = $2 returning identifier, token, expires",
};
const CREATE_USER = {
  name: "floor_create_user",
  text: "insert into users (id, name, email, email_verified, image) values ($1, $2, $3, $4, $5)",
};
const LINK_ACCOUNT = {
  name: "floor_link_account",
  text:
    "insert into accounts (id, user_id, type, provider, provider_account_id, access_token, refresh_token, expires_at, token_type, scope) " +
    "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
};
const GET_USER_BY_ACCOUNT = {
  name: "floor_get_user_by_account",
  text:
    "select u.id, u.name, u.email, u.email_verified, u.image from users u join accounts a on a.user_id = u.id " +
    "where a.provider = $1 and a.provider_account_id = $2",
};

/**
 * The floor: what a hand-tuned app would do with the raw `pg` driver on the kit's own tables, one
 * prepared statement per operation and no layer in between. No adapter can beat it by much.
 */
export function floor(url: string): Implementation {
  const pool = new Pool({ connectionString: url, max: POOL_SIZE });
  const user = (r: Record<string, unknown>) => ({ id: r.id, name: r.name, email: r.email, emailVerified: r.email_verified, image: r.image });
  return {
    name: "floor",
    description: `raw pg Pool (max ${POOL_SIZE}), named prepared statements, the join in one query`,
    family: "kit",
    adapter: {
      async getSessionAndUser(sessionToken: string) {
        const { rows } = await pool.query({ ...GET_SESSION_AND_USER, values: [sessionToken] });
        const r = rows[0];
        if (!r) return null;
        if ((r.expires as Date).getTime() <= Date.now()) return null;
        return { session: { sessionToken: r.session_token, userId: r.user_id, expires: r.expires }, user: user(r) };
      },
      async createSession(session: NewSession) {
        await pool.query({ ...CREATE_SESSION, values: [session.sessionToken, session.userId, session.expires] });
        return session;
      },
      async createVerificationToken(token: NewToken) {
        await pool.query({ ...CREATE_TOKEN, values: [token.identifier, token.token, token.expires] });
        return token;
      },
      async useVerificationToken({ identifier, token }) {
        const { rows } = await pool.query({ ...USE_TOKEN, values: [identifier, token] });
        return rows[0] ?? null;
      },
      async createUser(u: NewUser) {
        const id = randomUUID();
        await pool.query({ ...CREATE_USER, values: [id, u.name, u.email, u.emailVerified, u.image] });
        return { id, ...u };
      },
      async linkAccount(a: NewAccount) {
        const values = [randomUUID(), a.userId, a.type, a.provider, a.providerAccountId, a.access_token, a.refresh_token, a.expires_at, a.token_type, a.scope];
        await pool.query({ ...LINK_ACCOUNT, values });
        return a;
      },
      async getUserByAccount({ provider, providerAccountId }) {
        const { rows } = await pool.query({ ...GET_USER_BY_ACCOUNT, values: [provider, providerAccountId] });
        return rows[0] ? user(rows[0]) : null;
      },
    },
    close: () => pool.end(),
  };
}
