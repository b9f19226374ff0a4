import type { Container } from "inversify";
import { AdapterError, ErrorCode } from "../errors/AdapterError";
import type { SessionStore, VerificationTokenStore } from "../persistence/ports";
import { STORE_IDS, type StoreName } from "./stores";

export interface PurgeOptions {
  /** Rows per statement (default 1000): each batch is one short DELETE, so no lock is held for long. */
  batchSize?: number;
  /** Rows that expired at or before this instant go (default: now). */
  now?: Date;
  /** Called after every batch, for progress on long runs (the CLI's `purge-expired` prints it). */
  onBatch?: (progress: PurgeProgress) => void;
}

/** One finished batch: which store, how many rows it deleted, and that store's total so far. */
export interface PurgeProgress {
  store: "sessions" | "verificationTokens";
  deleted: number;
  total: number;
}

export interface PurgeResult {
  sessions: number;
  verificationTokens: number;
  /** Bound stores without `deleteExpired` (e.g. one whose rows expire by themselves): left alone. */
  skipped: StoreName[];
}

export const DEFAULT_PURGE_BATCH = 1000;

type Purgeable = Pick<SessionStore | VerificationTokenStore, "deleteExpired">;

/**
 * Deletes expired sessions and verification tokens in bounded batches until a batch comes back
 * short. Consumers only delete an expired row when they happen to read it, so the rest piles up.
 */
export async function purgeExpired(container: Container, options: PurgeOptions = {}): Promise<PurgeResult> {
  const batchSize = options.batchSize ?? DEFAULT_PURGE_BATCH;
  const before = options.now ?? new Date();
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new AdapterError(ErrorCode.INVALID_INPUT, "batchSize must be a positive integer", { operation: "purgeExpired" });
  }
  if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
    throw new AdapterError(ErrorCode.INVALID_INPUT, "now must be a valid Date", { operation: "purgeExpired" });
  }
  const result: PurgeResult = { sessions: 0, verificationTokens: 0, skipped: [] };
  for (const name of ["sessions", "verificationTokens"] as const) {
    const store = container.get<Purgeable>(STORE_IDS[name]);
    if (typeof store.deleteExpired !== "function") {
      result.skipped.push(name);
      continue;
    }
    let deleted: number;
    do {
      deleted = await store.deleteExpired(before, batchSize).catch((error: unknown) => {
        throw (AdapterError.is(error) ? error : new AdapterError(ErrorCode.INTERNAL, "deleteExpired failed", { cause: error })).withOperation("purgeExpired");
      });
      result[name] += deleted;
      options.onBatch?.({ store: name, deleted, total: result[name] });
    } while (deleted >= batchSize);
  }
  return result;
}
