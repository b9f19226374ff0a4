import { randomUUID } from "node:crypto";
import { createPool } from "mysql2/promise";
import { POOL_SIZE } from "./floor";
import type { BenchAdapter, Implementation, NewAccount, NewSession, NewToken, NewUser } from "./types";

// The kit's tables on MariaDB (what `synchronize()` creates), one server-side prepared statement each.
const GET_SESSION_AND_USER =
  "select s.id as s_id, s.session_token, s.user_id, s.expires, u.id, u.name, u.email, u.email_verified, u.image " +
  "from sessions s join users u on u.id = s.user_id where s.session_token = ?";
const CREATE_SESSION = "insert into sessions (id, session_token, user_id, expires) values (?, ?, ?, ?)";
const CREATE_TOKEN = "insert into verification_tokens (identifier, token, expires) values (?, ?, ?)";
// MariaDB's DELETE ... RETURNING: one statement claims the link, as a hand-tuned app on MariaDB would.
const USE_TOKEN = "delete from verification_tokens where identifier = ? and token = ? returning identifier, token, expires";
const CREATE_USER = "insert into users (id, name, email, email_verified, image) values (?, ?, ?, ?, ?)";
const LINK_ACCOUNT =
  "insert into accounts (id, user_id, type, provider, provider_account_id, access_token, refresh_token, expires_at, token_type, scope) " +
  "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

type Rows = Record<string, unknown>[];

/**
 * The MariaDB floor: mysql2's pool, every operation one prepared statement (`pool.execute`, cached
 * per connection by mysql2), rows mapped by hand. `getUserByAccount` is not measured on MariaDB.
 */
export function mysql2Floor(url: string): Implementation {
  const pool = createPool({ uri: url, connectionLimit: POOL_SIZE, timezone: "Z" });
  const adapter: BenchAdapter = {
    async getSessionAndUser(sessionToken: string) {
      const [rows] = await pool.execute(GET_SESSION_AND_USER, [sessionToken]);
      const r = (rows as Rows)[0];
      if (!r || (r.expires as Date).getTime() <= Date.now()) return null;
      return {
        session: { sessionToken: r.session_token, userId: r.user_id, expires: r.expires },
        user: { id: r.id, name: r.name, email: r.email, emailVerified: r.email_verified, image: r.image },
      };
    },
    async createSession(session: NewSession) {
      await pool.execute(CREATE_SESSION, [randomUUID(), session.sessionToken, session.userId, session.expires]);
      return session;
    },
    async createVerificationToken(token: NewToken) {
      await pool.execute(CREATE_TOKEN, [token.identifier, token.token, token.expires]);
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      const [rows] = await pool.execute(USE_TOKEN, [identifier, token]);
      return (rows as Rows)[0] ?? null;
    },
    async createUser(u: NewUser) {
      const id = randomUUID();
      await pool.execute(CREATE_USER, [id, u.name, u.email, u.emailVerified, u.image]);
      return { id, ...u };
    },
    async linkAccount(a: NewAccount) {
      await pool.execute(LINK_ACCOUNT, [randomUUID(), a.userId, a.type, a.provider, a.providerAccountId, a.access_token, a.refresh_token, a.expires_at, a.token_type, a.scope]);
      return a;
    },
    getUserByAccount: () => Promise.reject(new Error("the MariaDB section does not measure getUserByAccount")),
  };
  return { name: "floor", description: `mysql2 pool (${POOL_SIZE}), one prepared statement per operation (execute)`, family: "kit", adapter, close: () => pool.end() };
}
