import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import type { RewriteBatch, RowCursor } from "../../persistence/ports";

/** Options every rewrite job takes. */
export interface BatchJobOptions {
  /** Rows per batch (default 500): each batch is one short transaction holding only its rows. */
  batchSize?: number;
  /** Resume after this key (the `next` of an interrupted run, or of the last `onBatch` report); null or none: from the start. */
  after?: RowCursor | null;
  /** Stops between batches when aborted; the result then has `done: false` and the `next` to resume from. */
  signal?: AbortSignal;
  /** Called after each batch with the totals so far: save `next` to resume after a crash. */
  onBatch?: (progress: { next: RowCursor | null; scanned: number }) => void;
}

export const DEFAULT_REWRITE_BATCH = 500;

/**
 * Runs `batch` from `after` until a batch reads no row, or `signal` aborts. Returns where it
 * stopped: `next` (resume after it) and whether the table was done.
 */
export async function runBatches(
  job: string,
  options: BatchJobOptions,
  batch: (after: RowCursor | undefined, limit: number) => Promise<RewriteBatch>,
): Promise<{ scanned: number; next: RowCursor | null; done: boolean }> {
  const limit = options.batchSize ?? DEFAULT_REWRITE_BATCH;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new AdapterError(ErrorCode.INVALID_INPUT, "batchSize must be a positive integer", { operation: job });
  if (options.after != null && typeof options.after !== "string" && typeof options.after !== "number") {
    throw new AdapterError(ErrorCode.INVALID_INPUT, "after must be the `next` of an earlier run", { operation: job });
  }
  let after = options.after ?? undefined;
  let scanned = 0;
  for (;;) {
    if (options.signal?.aborted) return { scanned, next: after ?? null, done: false };
    const result = await batch(after, limit).catch((error: unknown) => {
      throw (AdapterError.is(error) ? error : new AdapterError(ErrorCode.INTERNAL, `${job}: a batch failed`, { cause: error })).withOperation(job);
    });
    scanned += result.scanned;
    if (result.next === null) return { scanned, next: null, done: true };
    after = result.next;
    options.onBatch?.({ next: after, scanned });
    // A short batch was the last one: no need for one more read to find the table empty.
    if (result.scanned < limit && !options.signal?.aborted) return { scanned, next: null, done: true };
  }
}
