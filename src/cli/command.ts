import type { OptionSpec } from "./args";
import type { CommandContext } from "./context";

/** One CLI command: its flags, its help text, and what it does (returning the exit code). */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Help text after the usage line: arguments and the command's own flags. */
  readonly help: string;
  readonly options: OptionSpec;
  run(context: CommandContext): Promise<number>;
}
