import { AdapterError, ErrorCode } from "../errors/AdapterError";
import { parse, shownArgument } from "./args";
import { CliError, EXIT } from "./CliError";
import type { Command } from "./command";
import { doctor } from "./commands/doctor";
import { migrate } from "./commands/migrate";
import { purgeExpired } from "./commands/purgeExpired";
import { reencrypt } from "./commands/reencrypt";
import { stats } from "./commands/stats";
import { createContext } from "./context";
import { Output, type Streams } from "./output";

export const COMMANDS: readonly Command[] = [migrate, purgeExpired, doctor, stats, reencrypt];

export interface RunInput extends Streams {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const COMMON_HELP = `Options for every command:
  --database <url>   the database (default: $DATABASE_URL)
  --config <file>    a module exporting the kit's options (createAdapterKit({...})), so custom entities apply
  --json             one JSON document on stdout, for scripts
  --timeout <ms>     how long the database (and Redis) may take to answer (default 10000)
  -h, --help         this help

Exit codes: 0 fine, 1 problems found, 2 cannot run.`;

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: nextauth-adapter-kit <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    COMMON_HELP,
  ].join("\n");
}

function commandHelp(command: Command): string {
  return [`Usage: nextauth-adapter-kit ${command.name} ${command.help}`, "", COMMON_HELP].join("\n");
}

/** Runs one CLI invocation and returns its exit code. Nothing it prints carries a stack trace or a password. */
export async function run(argv: readonly string[], input: RunInput): Promise<number> {
  const json = argv.includes("--json");
  const out = new Output(input, json);
  const name = argv[0];
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    input.stdout.write(`${mainHelp()}\n`);
    return name === undefined ? EXIT.CANNOT_RUN : EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.error(undefined, name.startsWith("-") ? `expected a command first, got an option` : `unknown command ${shownArgument(name)}`, true);
    return EXIT.CANNOT_RUN;
  }
  let context: ReturnType<typeof createContext> | undefined;
  try {
    const args = parse(argv.slice(1), command.options);
    if (args.values.help) {
      input.stdout.write(`${commandHelp(command)}\n`);
      return EXIT.OK;
    }
    context = createContext({ command: command.name, args, out, env: input.env, cwd: input.cwd });
    return await command.run(context);
  } catch (error) {
    const [message, usage] = describe(error);
    out.error(command.name, message, usage);
    return EXIT.CANNOT_RUN;
  } finally {
    await context?.close();
  }
}

/** One line for whatever stopped the command. */
function describe(error: unknown): [string, boolean] {
  if (error instanceof CliError) return [error.message, error.usage];
  if (error instanceof AdapterError) {
    const prefix = error.code === ErrorCode.DATABASE_UNAVAILABLE ? "cannot reach the database: " : "";
    return [`${prefix}${error.message} [${error.code}]`, false];
  }
  // Anything else may carry a driver message with SQL or a URL: its class only.
  return [`unexpected ${error instanceof Error ? error.name : "error"}; nothing was printed from it (it may hold configuration)`, false];
}

