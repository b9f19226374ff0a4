/** Exit codes of the CLI (README "Command line"). */
export const EXIT = {
  /** Done, nothing wrong. */
  OK: 0,
  /** It ran and found problems (doctor findings, pending migrations). */
  PROBLEMS: 1,
  /** It could not run: bad flags, no database, a service it cannot reach, a refused operation. */
  CANNOT_RUN: 2,
} as const;

/** A reason the CLI cannot run, said in one line. Never holds a connection URL or a password. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    /** Where the usage hint helps (a bad flag, a missing argument). */
    readonly usage = false,
  ) {
    super(message);
  }
}
