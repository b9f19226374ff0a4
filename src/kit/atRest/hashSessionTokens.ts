import type { Container } from "inversify";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { TYPES } from "../../kernel/identifiers";
import { HASHED_SESSION_TOKEN_PREFIX, SessionTokenHasher } from "../../kernel/sessionTokens";
import type { RowCursor, SessionStore } from "../../persistence/ports";
import type { AdapterSession } from "../../types";
import { runBatches, type BatchJobOptions } from "./runBatches";

export interface HashSessionTokensResult {
  /** Session rows read. */
  scanned: number;
  /** Rows whose raw token was replaced by its stored form. */
  hashed: number;
  /** Rows already in the stored form. */
  alreadyHashed: number;
  /** Rows that changed between the read and the write (signed out meanwhile): left, run again. */
  skipped: number;
  done: boolean;
  next: RowCursor | null;
}

const JOB = "hashSessionTokens";

/**
 * Replaces every raw session token by its stored form, in bounded batches. The signed-in users
 * keep their sessions: the cookie holds the token, and the row now holds its HMAC.
 */
export async function hashSessionTokens(container: Container, hasher: SessionTokenHasher | undefined, options: BatchJobOptions = {}): Promise<HashSessionTokensResult> {
  if (!hasher) throw new AdapterError(ErrorCode.CONFIGURATION, 'hashSessionTokens: this kit stores session tokens raw (sessionTokens: "raw")', { operation: JOB });
  const store = container.get<SessionStore>(TYPES.SessionStore);
  if (typeof store.rewriteBatch !== "function") {
    throw new AdapterError(ErrorCode.NOT_IMPLEMENTED, "hashSessionTokens: the session store has no rewriteBatch", { operation: JOB });
  }
  const result: HashSessionTokensResult = { scanned: 0, hashed: 0, alreadyHashed: 0, skipped: 0, done: false, next: null };
  const run = await runBatches(JOB, options, async (after, limit) => {
    const batch = await store.rewriteBatch!(after, limit, (row: AdapterSession & { id: string }) => {
      if (SessionTokenHasher.isStored(row.sessionToken)) {
        result.alreadyHashed++;
        return null;
      }
      return { sessionToken: hasher.stored(row.sessionToken) };
    }, HASHED_SESSION_TOKEN_PREFIX);
    result.hashed += batch.rewritten;
    result.skipped += batch.missed.length;
    return batch;
  });
  return { ...result, scanned: run.scanned, done: run.done, next: run.next };
}
