import { TYPES } from "../../kernel/identifiers";
import type { AccountReencrypter } from "../../kit/atRest/reencryptAccountTokens";
import { DEFAULT_REWRITE_BATCH } from "../../kit/atRest/runBatches";
import { expectPositionals, positiveInteger } from "../args";
import { CliError, EXIT } from "../CliError";
import type { Command } from "../command";

/** Time between two progress lines on a long run. */
const PROGRESS_EVERY_MS = 1000;

/** `reencrypt`: `kit.reencryptAccountTokens()` with the `encryptAccountTokens` plugin of the config module. */
export const reencrypt: Command = {
  name: "reencrypt",
  summary: "re-encrypt every account's OAuth tokens under the current key (and encrypt plaintext ones), in batches",
  help: `--config <file> [--batch-size <n>] [--after <key>] [--quiet]

  The config module's plugins must include encryptAccountTokens({ keys }): its first key encrypts.
  --batch-size <n>   rows per batch (default ${DEFAULT_REWRITE_BATCH}): each batch is one short transaction
  --after <key>      resume after this account key (the "next" printed by an interrupted run)
  --quiet            no progress lines
  Exit 1 when a row did not decrypt (listed by key, provider and column, never a value).`,
  options: { "batch-size": { type: "string" }, after: { type: "string" }, quiet: { type: "boolean", short: "q" } },
  async run(context) {
    expectPositionals(context.args, 0);
    const batchSize = positiveInteger(context.args.values, "batch-size", DEFAULT_REWRITE_BATCH);
    const after = context.args.values.after as string | undefined;
    const quiet = context.args.values.quiet === true;
    const kit = await context.kit();
    const plugins = kit.container.isBound(TYPES.Plugin) ? kit.container.getAll<Partial<AccountReencrypter>>(TYPES.Plugin) : [];
    const plugin = plugins.find((p): p is AccountReencrypter => typeof p.reencryptRow === "function");
    if (!plugin) throw new CliError("reencrypt: the kit has no encryptAccountTokens plugin: pass --config <file> whose options list encryptAccountTokens({ keys })", true);
    await context.connection();
    let last = 0;
    const onBatch = ({ next, scanned }: { next: string | number | null; scanned: number }) => {
      const now = Date.now();
      if (quiet || now - last < PROGRESS_EVERY_MS) return;
      last = now;
      context.out.progress(`accounts: ${scanned} read so far (resume with --after ${String(next)})...`);
    };
    const result = await kit.reencryptAccountTokens(plugin, { batchSize, after, onBatch });
    context.out.document({ ok: result.failed === 0, ...result });
    context.out.line(`read ${result.scanned} accounts: ${result.rewritten} re-encrypted, ${result.plaintextEncrypted} encrypted from plaintext, ${result.alreadyCurrent} already current`);
    if (result.skipped > 0) context.out.line(`${result.skipped} changed while the job ran: run it again to cover them`);
    for (const f of result.failures) context.out.line(`did not decrypt: account ${f.id} (${f.provider}), column ${f.field}: ${f.reason}`);
    return result.failed === 0 ? EXIT.OK : EXIT.PROBLEMS;
  },
};
