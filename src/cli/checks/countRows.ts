import { Binder } from "../../persistence/mikro-orm/dialects/Dialect";
import type { OrmConnection, Tables } from "../../persistence/mikro-orm/OrmConnection";

/** What `stats` reports. */
export interface KitStats {
  users: number;
  sessions: { live: number; expired: number };
  /** Sign-in links sent and not used yet: `pending` can still be used, `expired` wait for purge-expired. */
  verificationTokens: { pending: number; expired: number };
  /** Linked accounts, in all and per provider (most first). */
  accounts: { total: number; byProvider: Record<string, number> };
}

const count = (value: unknown): number => Number(value ?? 0);

/**
 * Counts through the dialect seam: table and column names from the entities (custom layouts
 * included), the one value (now) bound as a parameter.
 */
export function countRows(connection: OrmConnection, now = new Date()): Promise<KitStats> {
  return connection.read(async ({ dialect, tables }) => {
    const byExpiry = async (table: Tables["session"] | Tables["verificationToken"]) => {
      const b = new Binder(dialect);
      const expires = table.column("expires");
      // Bound twice: `?` placeholders (SQLite, MySQL) take one value each.
      const live = `${expires} > ${b.bind(table.param("expires", now))}`;
      const expired = `${expires} <= ${b.bind(table.param("expires", now))}`;
      const text = `select count(case when ${live} then 1 end) as live, count(case when ${expired} then 1 end) as expired from ${table.table}`;
      const { rows } = await dialect.execute(table.statement(text, b.values));
      return { live: count(rows[0]?.live), expired: count(rows[0]?.expired) };
    };
    const users = await dialect.execute(tables.user.statement(`select count(*) as n from ${tables.user.table}`, []));
    const sessions = await byExpiry(tables.session);
    const tokens = await byExpiry(tables.verificationToken);
    const provider = tables.account.column("provider");
    const accounts = await dialect.execute(
      tables.account.statement(`select ${provider} as provider, count(*) as n from ${tables.account.table} group by ${provider} order by count(*) desc, ${provider}`, []),
    );
    const byProvider: Record<string, number> = {};
    for (const row of accounts.rows) byProvider[String(row.provider)] = count(row.n);
    return {
      users: count(users.rows[0]?.n),
      sessions,
      verificationTokens: { pending: tokens.live, expired: tokens.expired },
      accounts: { total: Object.values(byProvider).reduce((a, b) => a + b, 0), byProvider },
    };
  });
}
