import { createHash, timingSafeEqual } from "node:crypto";
import { inject } from "inversify";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { Operation } from "../kernel/decorators";
import { TYPES } from "../kernel/identifiers";
import type { AdapterOperation, ArgsOf } from "../kernel/operations";
import type { SessionStore } from "../persistence/ports";
import type { ListedSession } from "../types";

/**
 * "Your sessions": a user's live sessions, soonest to expire last. Tokens never leave this layer:
 * each session is named by a digest of what the store holds, so the list can be shown in a page
 * without handing out anything that signs in.
 */
@Operation("listSessionsByUserId")
export class ListSessionsByUserId implements AdapterOperation<"listSessionsByUserId"> {
  constructor(@inject(TYPES.SessionStore) private readonly sessions: SessionStore) {}

  async execute({ userId, currentSessionToken: current }: ArgsOf<"listSessionsByUserId">): Promise<ListedSession[]> {
    if (typeof this.sessions.listByUserId !== "function") {
      throw new AdapterError(ErrorCode.NOT_IMPLEMENTED, "the bound session store cannot list sessions by user: implement listByUserId(userId)");
    }
    const now = Date.now();
    const rows = await this.sessions.listByUserId(userId);
    return rows
      .filter((row) => row.expires.getTime() > now)
      .sort((a, b) => b.expires.getTime() - a.expires.getTime())
      .map((row) => ({
        tokenId: sessionTokenId(row.sessionToken),
        userId: row.userId,
        expires: row.expires,
        current: current !== undefined && sameText(row.sessionToken, current),
      }));
  }
}

/** A stable, non-reversible name for a stored session token (128 bits of its SHA-256). */
export function sessionTokenId(stored: string): string {
  return createHash("sha256").update(stored).digest("hex").slice(0, 32);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
