/**
 * Cheap change detection on the kit's tables, for campaign 5: a fingerprint of every row version
 * (ctid and xmin change on every insert, update and delete, and reading them does not detoast
 * 1 MB values), and the full content of the bystander rows no generated call may touch.
 */
import { Client } from "pg";
import { createConnection, type Connection } from "mysql2/promise";
import { isMariaDbUrl } from "./mariadb";

/** What campaign 5 watches, on either server. */
export interface TableWatcher {
  fingerprint(): Promise<string>;
  bystanders(): Promise<string>;
  close(): Promise<void>;
}

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

export class TableWatch implements TableWatcher {
  private constructor(
    private readonly client: Client,
    private readonly bystanderUsers: string[],
    private readonly bystanderIdentifiers: string[],
  ) {}

  static async open(url: string, bystanderUsers: string[], bystanderIdentifiers: string[]): Promise<TableWatcher> {
    if (isMariaDbUrl(url)) return MariaDbTableWatch.open(url, bystanderUsers, bystanderIdentifiers);
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

/**
 * The same on MariaDB: `CHECKSUM TABLE` (a live checksum of every row's content) per kit table,
 * and the bystander rows read whole.
 */
class MariaDbTableWatch implements TableWatcher {
  private constructor(
    private readonly connection: Connection,
    private readonly bystanderUsers: string[],
    private readonly bystanderIdentifiers: string[],
  ) {}

  static async open(url: string, bystanderUsers: string[], bystanderIdentifiers: string[]): Promise<MariaDbTableWatch> {
    const connection = await createConnection({ uri: url.replace(/^mariadb:/i, "mysql:"), connectTimeout: 5000, dateStrings: true });
    return new MariaDbTableWatch(connection, bystanderUsers, bystanderIdentifiers);
  }

  async fingerprint(): Promise<string> {
    const [rows] = await this.connection.query(`checksum table ${TABLES.join(", ")}`);
    return (rows as Array<{ Checksum: unknown }>).map((r) => String(r.Checksum)).join("|");
  }

  async bystanders(): Promise<string> {
    const users = this.bystanderUsers;
    const read = async (sql: string, values: unknown[]) => (await this.connection.query(sql, values))[0];
    return JSON.stringify({
      users: await read("select * from users where id in (?) order by id", [users]),
      accounts: await read("select * from accounts where user_id in (?) order by id", [users]),
      sessions: await read("select * from sessions where user_id in (?) order by id", [users]),
      authenticators: await read("select * from authenticators where user_id in (?) order by credential_id", [users]),
      tokens: await read("select * from verification_tokens where identifier in (?) order by token", [this.bystanderIdentifiers]),
    });
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => undefined);
  }
}
