import { AdapterError, ErrorCode, Plugin, PluginOrder, type OperationContext } from "../../src";

/** Domains whose addresses may not sign in (a real app reads these from its configuration). */
export const BLOCKED_DOMAINS = ["blocked.example"];

/**
 * Refuses sign-ins from blocked e-mail domains. It wraps the first write of an e-mail sign-in
 * (`createVerificationToken`, so no link is ever sent) and `createUser` (so no other provider can
 * sign such an address up either).
 */
@Plugin({ operations: ["createVerificationToken", "createUser"], order: PluginOrder.DEFAULT })
export class BlockedDomains {
  async around(ctx: OperationContext, next: () => Promise<unknown>): Promise<unknown> {
    const args = ctx.args as { identifier?: string; email?: string };
    const address = args.identifier ?? args.email ?? "";
    const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
    // Thrown before next(): nothing below this layer runs, nothing is written.
    if (BLOCKED_DOMAINS.includes(domain)) throw new AdapterError(ErrorCode.FORBIDDEN, `sign-ins from ${domain} are not allowed`);
    return next();
  }
}
