import type { ArgsOf, OperationContext } from "../../src/plugin-api";
import { tokenId } from "./keys";

/** What a write may have made stale: cached tokens (by id) and users whose every session goes. */
export interface Targets {
  ids: readonly string[];
  userIds: readonly string[];
}

const NONE: Targets = { ids: [], userIds: [] };

/**
 * Which cached sessions a write may make stale, from its arguments; undefined when only its result
 * tells. `negative`: the cache remembers "no such session" (`negativeTtlMs`).
 */
export function targetsFromArgs(ctx: OperationContext, negative: boolean): Targets | undefined {
  switch (ctx.operation) {
    case "createSession":
      // Only a remembered "no such session" can be stale after a create.
      return negative ? { ids: [tokenId((ctx.args as ArgsOf<"createSession">).sessionToken)], userIds: [] } : NONE;
    case "updateSession":
    case "deleteSession":
      return { ids: [tokenId((ctx.args as ArgsOf<"deleteSession">).sessionToken)], userIds: [] };
    case "updateUser":
    case "deleteUser":
      return { ids: [], userIds: [(ctx.args as ArgsOf<"deleteUser">).id] };
    case "deleteSessionsByUserId":
      // The revoked tokens are unknown here (stored hashed, perhaps): drop every session of the user.
      return { ids: [], userIds: [(ctx.args as ArgsOf<"deleteSessionsByUserId">).userId] };
    case "unlinkAccount":
      return undefined;
    default:
      return NONE;
  }
}

/**
 * unlinkAccount: the default getSessionAndUser returns no accounts, but a team's own may, so the
 * owner's sessions are dropped (unlinking is rare). The owner is only known from the result.
 */
export function targetsFromResult(result: unknown): Targets {
  const userId = (result as { userId?: unknown } | null | undefined)?.userId;
  return typeof userId === "string" ? { ids: [], userIds: [userId] } : NONE;
}

/** Writes that drop nothing cached but whose WAL positions travel with the broadcast (read replicas). */
const FENCE_ONLY = new Set(["createUser", "linkAccount", "createAuthenticator", "updateAuthenticatorCounter", "unlinkAccount"]);

/** The key this cache reads from the arguments is there and is a string (writes that read none: any object). */
export function wellFormed(ctx: OperationContext): boolean {
  const args = ctx.args as Record<string, unknown> | null;
  if (args === null || typeof args !== "object") return false;
  if (ctx.operation === "updateUser" || ctx.operation === "deleteUser") return typeof args.id === "string";
  if (ctx.operation === "deleteSessionsByUserId") return typeof args.userId === "string";
  return FENCE_ONLY.has(ctx.operation) || typeof args.sessionToken === "string";
}

/** An `updateSession` that changes nothing but `expires`, to a later time (Auth.js's sliding sessions). */
export function extendsExpiryOnly(ctx: OperationContext): boolean {
  if (ctx.operation !== "updateSession") return false;
  const args = ctx.args as Record<string, unknown>;
  for (const key in args) if (key !== "sessionToken" && key !== "expires") return false;
  return args.expires instanceof Date && args.expires.getTime() > Date.now();
}
