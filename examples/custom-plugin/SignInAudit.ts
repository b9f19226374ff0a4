import { inject } from "inversify";
import type { Pool } from "pg";
import { Plugin, PluginOrder, type AdapterSession, type OperationContext } from "../../src";

/** The container identifier the app binds its PostgreSQL pool to. */
export const AUDIT_POOL = Symbol("AuditPool");

/** The audit table, in the same database as the kit's tables but owned by the app. */
export const AUDIT_TABLE_SQL = `create table if not exists sign_in_audit (
  id bigserial primary key, user_id text not null, facade text not null, signed_in_at timestamptz not null default now())`;

/**
 * An audit trail of sign-ins: every session created (whichever consumer created it) becomes a row
 * in `sign_in_audit`. The pool comes from the kit's container, so tests can bind another one.
 */
@Plugin({ operations: ["createSession"], order: PluginOrder.DEFAULT })
export class SignInAudit {
  constructor(@inject(AUDIT_POOL) private readonly pool: Pool) {}

  async around(ctx: OperationContext, next: () => Promise<unknown>): Promise<unknown> {
    const session = (await next()) as AdapterSession;
    // Written after the session exists, and awaited: a sign-in is reported as done only once audited.
    // The row holds the user id and the consumer, never the session token (it is a credential).
    await this.pool.query("insert into sign_in_audit (user_id, facade) values ($1, $2)", [session.userId, ctx.facade]);
    return session;
  }
}
