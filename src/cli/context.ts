import { resolve } from "node:path";
import type { AdapterKitOptions } from "../kit/createAdapterKit";
import { createAdapterKit } from "../kit/createAdapterKit";
import type { AdapterKit } from "../kit/AdapterKit";
import { TYPES } from "../kernel/identifiers";
import type { OrmConnection } from "../persistence/mikro-orm/OrmConnection";
import { AdapterError } from "../errors/AdapterError";
import { CliError } from "./CliError";
import { positiveInteger, type ParsedArgs } from "./args";
import { Deadline } from "../health/deadline";
import type { Output } from "./output";

const CLOSE_WAIT_MS = 1000;

/** How long a service may take to answer a command's first statement (--timeout). */
export const DEFAULT_TIMEOUT_MS = 10_000;

export function timeoutMs(args: ParsedArgs): number {
  return positiveInteger(args.values, "timeout", DEFAULT_TIMEOUT_MS);
}

/** The connection, after a first `select 1` answered in time (a hung server fails fast and clearly). */
async function connect(kit: Promise<AdapterKit>, ms: number): Promise<OrmConnection> {
  const built = await kit;
  if (!built.container.isBound(TYPES.OrmConnection)) throw new CliError("the configured kit uses memory stores: there is no database to work on");
  const connection = built.container.get<OrmConnection>(TYPES.OrmConnection);
  const deadline = new Deadline(ms);
  try {
    const outcome = await deadline.run(() => connection.read(({ dialect }) => dialect.execute({ text: "select 1 as one", values: [] })));
    if (outcome.kind === "timeout") throw new CliError(`cannot reach the database: no answer within ${ms} ms`);
    if (outcome.kind === "error") throw new CliError(`cannot reach the database: ${outcome.reason}`);
  } finally {
    deadline.clear();
  }
  return connection;
}

/** What a command gets: its flags, the kit built from them, and where to print. */
export interface CommandContext {
  readonly command: string;
  readonly args: ParsedArgs;
  readonly out: Output;
  readonly env: NodeJS.ProcessEnv;
  /** The kit, built on first use from --config, --database or DATABASE_URL. */
  kit(): Promise<AdapterKit>;
  /**
   * The kit's database connection, once it answered a first statement within --timeout; CliError
   * for memory stores and for a database that does not answer in time.
   */
  connection(): Promise<OrmConnection>;
}

export interface ContextInput {
  command: string;
  args: ParsedArgs;
  out: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Builds a command's context; the kit is made lazily and closed by `close()`. */
export function createContext(input: ContextInput): CommandContext & { close(): Promise<void> } {
  let kit: Promise<AdapterKit> | undefined;
  let connection: Promise<OrmConnection> | undefined;
  const context = {
    command: input.command,
    args: input.args,
    out: input.out,
    env: input.env,
    kit: () => (kit ??= buildKit(input)),
    connection: () => (connection ??= connect(context.kit(), timeoutMs(input.args))),
    async close(): Promise<void> {
      const built = await kit?.catch(() => undefined);
      // A pool still waiting on a hung server must not hold the exit: wait a little, then leave.
      let timer: NodeJS.Timeout | undefined;
      const later = new Promise<void>((done) => (timer = setTimeout(done, CLOSE_WAIT_MS)));
      await Promise.race([built?.close().catch(() => undefined), later]);
      clearTimeout(timer);
    },
  };
  return context;
}

/** --database beats the config module's `database`, which beats DATABASE_URL. */
async function buildKit({ args, out, env, cwd }: ContextInput): Promise<AdapterKit> {
  const flag = args.values.database as string | undefined;
  out.secret(flag);
  out.secret(env.DATABASE_URL);
  const configFile = args.values.config as string | undefined;
  const options: AdapterKitOptions = configFile ? await loadConfig(resolve(cwd, configFile), configFile) : {};
  if (flag !== undefined) options.database = flag;
  else if (options.database === undefined && options.stores !== "memory") {
    if (!env.DATABASE_URL) throw new CliError("no database: set DATABASE_URL, pass --database <url>, or --config <file> exporting the kit's options", true);
    options.database = env.DATABASE_URL;
  }
  registerSecrets(out, options.database);
  // No command reads or writes a session by its token, so the CLI needs no session-token key: without
  // one it neither warns nor (in production) refuses to run.
  if (options.sessionTokens === undefined && options.secret === undefined && !env.AUTH_SECRET && !env.NEXTAUTH_SECRET) options.sessionTokens = "raw";
  try {
    return createAdapterKit(options);
  } catch (error) {
    if (error instanceof AdapterError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * Loads a config module: `module.exports = { database, entities, plugins, ... }` (the kit's
 * options, so custom entities apply), an ES module's default export, or a function returning them.
 */
async function loadConfig(path: string, given: string): Promise<AdapterKitOptions> {
  let loaded: unknown;
  try {
    loaded = require(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "MODULE_NOT_FOUND" && (error as Error).message.includes(path)) throw new CliError(`--config: ${given} not found`);
    // The kit's own errors are written to carry no secret (a key is described by its length only).
    if (error instanceof AdapterError) throw new CliError(`--config: ${given} failed to load: ${error.message}`);
    // Any other error's message may quote configuration (a URL): name the kind of failure only.
    throw new CliError(`--config: ${given} failed to load (${typeof code === "string" ? code : error instanceof Error ? error.name : "error"})`);
  }
  let value = (loaded as { default?: unknown } | null)?.default ?? loaded;
  if (typeof value === "function") value = await (value as () => unknown)();
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CliError(`--config: ${given} must export the kit's options (an object, or a function returning one)`);
  }
  return { ...(value as AdapterKitOptions) };
}

/** Every URL and password in a `database` option, so output never shows them. */
function registerSecrets(out: Output, database: unknown, depth = 0): void {
  if (depth > 3 || database === null || database === undefined) return;
  if (typeof database === "string") return out.secret(database);
  if (typeof database !== "object") return;
  for (const [key, value] of Object.entries(database)) {
    if (typeof value === "string" && /^(password|url|clientUrl)$/i.test(key)) out.secret(value);
    else if (key === "replicas" && Array.isArray(value)) value.forEach((replica) => registerSecrets(out, replica, depth + 1));
  }
}
