import { DEFAULT_PURGE_BATCH, type PurgeProgress } from "../../kit/purgeExpired";
import { expectPositionals, positiveInteger } from "../args";
import { EXIT } from "../CliError";
import type { Command } from "../command";

/** Time between two progress lines on a long run (the first batch is always reported). */
const PROGRESS_EVERY_MS = 1000;

const LABELS = { sessions: "sessions", verificationTokens: "verification tokens" } as const;

/** `purge-expired`: `kit.purgeExpired()` in batches, with progress on stderr. */
export const purgeExpired: Command = {
  name: "purge-expired",
  summary: "delete expired sessions and verification tokens in short batches, with progress",
  help: `[--batch-size <n>] [--quiet]

  --batch-size <n>   rows per DELETE (default ${DEFAULT_PURGE_BATCH}): each batch is one short statement
  --quiet            no progress lines`,
  options: { "batch-size": { type: "string" }, quiet: { type: "boolean", short: "q" } },
  async run(context) {
    expectPositionals(context.args, 0);
    const batchSize = positiveInteger(context.args.values, "batch-size", DEFAULT_PURGE_BATCH);
    const quiet = context.args.values.quiet === true;
    const kit = await context.kit();
    await context.connection();
    let last = 0;
    const onBatch = ({ store, deleted, total }: PurgeProgress) => {
      const now = Date.now();
      // A batch that comes back short ends that table: the summary says the rest.
      if (quiet || deleted < batchSize || now - last < PROGRESS_EVERY_MS) return;
      last = now;
      context.out.progress(`${LABELS[store]}: ${total} deleted so far...`);
    };
    const result = await kit.purgeExpired({ batchSize, onBatch });
    context.out.document({ ok: true, ...result });
    context.out.line(`deleted ${result.sessions} expired sessions and ${result.verificationTokens} expired verification tokens`);
    if (result.skipped.length > 0) context.out.line(`skipped (their stores have no deleteExpired): ${result.skipped.map((s) => LABELS[s as keyof typeof LABELS] ?? s).join(", ")}`);
    return EXIT.OK;
  },
};
