#!/usr/bin/env node
/** `npx nextauth-adapter-kit <command>`: migrate, purge-expired, doctor, stats (README "Command line"). */
import "reflect-metadata";
import { EXIT } from "./CliError";
import { run } from "./run";

// Nothing may escape as a stack trace, not even from a client's late error after the command ended.
const bail = () => {
  process.stderr.write("nextauth-adapter-kit: unexpected failure\n");
  process.exit(EXIT.CANNOT_RUN);
};
process.on("uncaughtException", bail);
// A reader that went away (`| head`) is no failure of the command.
process.stdout.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" ? process.exit(0) : bail()));
process.on("unhandledRejection", bail);

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  // Exit at once: a pool still waiting on a hung server must not keep the process alive.
  (code) => process.exit(code),
  bail,
);
