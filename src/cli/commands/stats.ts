import { expectPositionals } from "../args";
import { EXIT } from "../CliError";
import type { Command } from "../command";
import { countRows } from "../checks/countRows";

/** `stats`: users, live and expired sessions, pending tokens, linked accounts per provider. */
export const stats: Command = {
  name: "stats",
  summary: "count users, live and expired sessions, pending sign-in tokens and linked accounts per provider",
  help: "",
  options: {},
  async run(context) {
    expectPositionals(context.args, 0);
    const result = await countRows(await context.connection());
    context.out.document({ ok: true, ...result });
    const { out } = context;
    out.line(`users                 ${result.users}`);
    out.line(`sessions              ${result.sessions.live} live, ${result.sessions.expired} expired`);
    out.line(`verification tokens   ${result.verificationTokens.pending} pending, ${result.verificationTokens.expired} expired`);
    out.line(`linked accounts       ${result.accounts.total}`);
    for (const [provider, n] of Object.entries(result.accounts.byProvider)) out.line(`  ${provider.slice(0, 60).padEnd(20)}${n}`);
    if (result.sessions.expired + result.verificationTokens.expired > 0) out.line("expired rows go with: nextauth-adapter-kit purge-expired");
    return EXIT.OK;
  },
};
