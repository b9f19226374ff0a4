import { createHash } from "node:crypto";
import { Configuration } from "@mikro-orm/core";
import type { AbstractSqlConnection } from "@mikro-orm/knex";

type Row = Record<string, unknown>;

/** The part of a `pg` client this uses: a query with a statement name. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}

/** SQLSTATEs after which the named statement is not used again (the statement did not run). */
const STALE_PLAN = "0A000"; // "cached plan must not change result type": a migration changed a column's type
const NOT_PREPARED = new Set(["26000", "42P05"]); // unknown / duplicate statement: a pooler (PgBouncer) moved us between servers

/**
 * A read the hot path runs on every request. On PostgreSQL it runs as a named prepared statement
 * on a connection of MikroORM's own pool (its knex client): parsed and planned once per pooled
 * connection instead of on every call, which is half of a lookup's latency (MikroORM's `execute`
 * inlines the parameters into the text, so the server plans each call afresh). Everywhere else —
 * SQLite, an ORM that logs or rewrites queries (`debug`, `onQuery`), a pooler that cannot keep
 * named statements — it is the connection's ordinary `execute`. Rows come back in the same raw form.
 */
export class PreparedRead {
  /** The text in PostgreSQL's `$1` form, made once. */
  private pgText: string | undefined;
  private name: string;
  private generation = 0;
  /** Turned off for good once the server (or a pooler in front of it) refused named statements. */
  private unpreparable = false;

  /** `sql` uses `?` placeholders, as for `connection.execute`. */
  constructor(readonly sql: string) {
    this.name = nameOf(sql, 0);
  }

  /** The first row, or undefined. Parameters must be plain strings or numbers. */
  async get(connection: AbstractSqlConnection, params: unknown[]): Promise<Row | undefined> {
    if (this.unpreparable || !preparable(connection)) return this.execute(connection, params);
    await connection.ensureConnection();
    const knex = connection.getKnex().client;
    this.pgText ??= knex.positionBindings(this.sql) as string;
    const client = (await knex.acquireConnection()) as PgClient;
    try {
      return (await client.query({ name: this.name, text: this.pgText, values: params })).rows[0];
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === STALE_PLAN) this.name = nameOf(this.sql, ++this.generation); // prepare anew under a fresh name
      else if (typeof code === "string" && NOT_PREPARED.has(code)) this.unpreparable = true;
      else throw error;
    } finally {
      knex.releaseConnection(client);
    }
    return this.execute(connection, params);
  }

  /** MikroORM's own path: parameters inlined, the query logged and passed through `onQuery`. */
  private async execute(connection: AbstractSqlConnection, params: unknown[]): Promise<Row | undefined> {
    return (await connection.execute(this.sql, params, "get")) as Row | undefined;
  }
}

function nameOf(sql: string, generation: number): string {
  return `nak_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}_${generation}`;
}

/** PostgreSQL, and nothing configured that expects to see every query (logging, `onQuery`). */
function preparable(connection: AbstractSqlConnection): boolean {
  const config = connection.getPlatform().getConfig();
  return (
    connection.getKnex().client.dialect === "postgresql" &&
    !config.getLogger().isEnabled("query") &&
    config.get("onQuery") === Configuration.DEFAULTS.onQuery
  );
}
