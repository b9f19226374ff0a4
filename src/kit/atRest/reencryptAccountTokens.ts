import type { Container } from "inversify";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { TYPES } from "../../kernel/identifiers";
import type { AccountStore, RowCursor } from "../../persistence/ports";
import type { AdapterAccount } from "../../types";
import { runBatches, type BatchJobOptions } from "./runBatches";

/** What `encryptAccountTokens` gives the job for one row (see the plugin's `reencryptRow`). */
export type RowReencryption =
  | { outcome: "rewritten" | "plaintextEncrypted"; changes: Record<string, string> }
  | { outcome: "alreadyCurrent" }
  | { outcome: "failed"; field: string; reason: string };

/** The part of the `encryptAccountTokens` plugin the job uses (it never sees a key). */
export interface AccountReencrypter {
  reencryptRow(row: Readonly<Record<string, unknown>>): Promise<RowReencryption>;
}

export interface ReencryptResult {
  /** Account rows read. */
  scanned: number;
  /** Rows re-encrypted from an older key to the current one. */
  rewritten: number;
  /** Rows that held plaintext tokens and are now encrypted. */
  plaintextEncrypted: number;
  /** Rows already under the current key (checked: they decrypt). */
  alreadyCurrent: number;
  /** Rows left as they are because a value did not decrypt; see `failures`. */
  failed: number;
  /** The first 100 failures: the row's key, provider, column and reason (never a value). */
  failures: Array<{ id: string; provider: string; field: string; reason: string }>;
  /** Rows that changed between the read and the write (a concurrent link or unlink): left, run again. */
  skipped: number;
  /** True when every row was visited; false when `signal` stopped the job (resume with `after: next`). */
  done: boolean;
  next: RowCursor | null;
}

const MAX_LISTED_FAILURES = 100;
const JOB = "reencryptAccountTokens";

/**
 * Re-encrypts every account row under the plugin's current key and encrypts plaintext ones, in
 * bounded batches. A row that fails never stops the job: it is counted and listed (without values).
 */
export async function reencryptAccountTokens(container: Container, plugin: AccountReencrypter, options: BatchJobOptions = {}): Promise<ReencryptResult> {
  if (!plugin || typeof plugin.reencryptRow !== "function") {
    throw new AdapterError(ErrorCode.CONFIGURATION, "reencryptAccountTokens: pass the encryptAccountTokens plugin the kit uses", { operation: JOB });
  }
  const store = container.get<AccountStore>(TYPES.AccountStore);
  if (typeof store.rewriteBatch !== "function") {
    throw new AdapterError(ErrorCode.NOT_IMPLEMENTED, "reencryptAccountTokens: the account store has no rewriteBatch", { operation: JOB });
  }
  const result: ReencryptResult = { scanned: 0, rewritten: 0, plaintextEncrypted: 0, alreadyCurrent: 0, failed: 0, failures: [], skipped: 0, done: false, next: null };
  const run = await runBatches(JOB, options, async (after, limit) => {
    const planned = new Map<string, "rewritten" | "plaintextEncrypted">();
    const batch = await store.rewriteBatch!(after, limit, async (row: AdapterAccount & { id: string }) => {
      const outcome = await plugin.reencryptRow(row as unknown as Record<string, unknown>);
      if (outcome.outcome === "failed") {
        result.failed++;
        if (result.failures.length < MAX_LISTED_FAILURES) {
          result.failures.push({ id: String(row.id), provider: String(row.provider), field: outcome.field, reason: outcome.reason });
        }
        return null;
      }
      if (outcome.outcome === "alreadyCurrent") {
        result.alreadyCurrent++;
        return null;
      }
      planned.set(String(row.id), outcome.outcome);
      return outcome.changes as Partial<AdapterAccount>;
    });
    // Only writes that landed count; a row that changed under the batch is left for the next run.
    for (const id of batch.missed) planned.delete(String(id));
    for (const outcome of planned.values()) result[outcome]++;
    result.skipped += batch.missed.length;
    return batch;
  });
  return { ...result, scanned: run.scanned, done: run.done, next: run.next };
}
