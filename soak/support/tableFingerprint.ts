/**
 * Cheap change detection on the kit's tables, for campaign 5: a fingerprint of every row version
 * (ctid and xmin change on every insert, update and delete, and reading them does not detoast
 * 1 MB values), and the full content of the bystander rows no generated call may touch.
 */
import { Client } from "pg";

const TABLES = ["users", "accounts", "sessions", "verification_tokens", "authenticators"];

const FINGERPRINT = TABLES.map(
  (t) => `(select count(*) || ':' || coalesce(sum(hashtext(ctid::text || ':' || xmin::text)::bigint), 0) from ${t})`,
).join(" || '|' || ");

/** The bystanders' rows, whole: users by id, their accounts, sessions and authenticators, and tokens by identifier. */
const BYSTANDERS = `select
  (select string_agg(md5(x::text), ',' order by x.id) from users x where x.id = any($1)) as users,
  (select string_agg(md5(x::text), ',' order by x.id) from accounts x where x.user_id = any($1)) as accounts,
  (select string_agg(md5(x::text), ',' order by x.id) from sessions x where x.user_id = any($1)) as sessions,
  (select string_agg(md5(x::text), ',' order by x.credential_id) from authenticators x where x.user_id = any($1)) as authenticators,
  (select string_agg(md5(x::text), ',' order by x.token) from verification_tokens x where x.identifier = any($2)) as tokens`;

export class TableWatch {
  private constructor(
    private readonly client: Client,
    private readonly bystanderUsers: string[],
    private readonly bystanderIdentifiers: string[],
  ) {}

  static async open(url: string, bystanderUsers: string[], bystanderIdentifiers: string[]): Promise<TableWatch> {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await client.connect();
    return new TableWatch(client, bystanderUsers, bystanderIdentifiers);
  }

  /** Changes whenever any row of any kit table is inserted, updated or deleted. */
  async fingerprint(): Promise<string> {
    const { rows } = await this.client.query<{ f: string }>(`select ${FINGERPRINT} as f`);
    return rows[0]!.f;
  }

  /** The bystander rows' content. */
  async bystanders(): Promise<string> {
    const { rows } = await this.client.query(BYSTANDERS, [this.bystanderUsers, this.bystanderIdentifiers]);
    return JSON.stringify(rows[0]);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
