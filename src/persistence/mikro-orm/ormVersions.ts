import { dirname, join } from "node:path";
import { MikroORM } from "@mikro-orm/core";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";

/**
 * MikroORM is a peer dependency: the kit runs on the app's copy. Two copies, or packages of
 * different versions, fail in odd ways deep inside MikroORM (or in its own version check, whose
 * message would otherwise surface as a database error). These checks turn every mismatch the kit
 * can see into one CONFIGURATION error naming both versions.
 */

/** The MikroORM packages the kit loads, in the order they are reported. */
const PACKAGES = ["@mikro-orm/core", "@mikro-orm/knex", "@mikro-orm/postgresql", "@mikro-orm/mysql", "@mikro-orm/mariadb", "@mikro-orm/better-sqlite", "@mikro-orm/migrations"] as const;

/** The range the kit is tested against (kept equal to package.json's peerDependencies). */
export const SUPPORTED_MIKRO_ORM = ">=6.2.0 <=6.6.16";

interface Resolved {
  version: string;
  /** Folder of the package. */
  path: string;
}

/** The version and folder of a MikroORM package as the kit resolves it, or undefined when it is not installed. */
function resolvePackage(name: string): Resolved | undefined {
  try {
    const file = require.resolve(`${name}/package.json`);
    return { version: (require(file) as { version: string }).version, path: dirname(file) };
  } catch {
    return undefined;
  }
}

/** `@mikro-orm/core` as the kit resolved it. */
export function kitCoreVersion(): Resolved {
  return resolvePackage("@mikro-orm/core") ?? { version: "unknown", path: "unknown" };
}

/** `pkg` at the version of the app's `@mikro-orm/core` (MikroORM is the app's: its packages must match). */
export function matchingOrmPackage(pkg: string): string {
  const core = kitCoreVersion().version;
  return core === "unknown" ? pkg : `${pkg}@${core}`;
}

/** Throws CONFIGURATION when the installed `@mikro-orm/*` packages the kit resolves differ in version. */
export function checkOrmPackages(): void {
  const core = kitCoreVersion();
  const others = PACKAGES.slice(1)
    .map((name) => ({ name, resolved: resolvePackage(name) }))
    .filter((p): p is { name: (typeof PACKAGES)[number]; resolved: Resolved } => !!p.resolved && p.resolved.version !== core.version);
  if (others.length === 0) return;
  const list = others.map((p) => `${p.name} ${p.resolved.version}`).join(", ");
  throw new AdapterError(
    ErrorCode.CONFIGURATION,
    `MikroORM packages of different versions are installed: @mikro-orm/core ${core.version} but ${list}; ` +
      `install the same version of every @mikro-orm/* package (the kit supports ${SUPPORTED_MIKRO_ORM})`,
  );
}

/**
 * Throws CONFIGURATION when an ORM the app initialised comes from another copy of `@mikro-orm/core`
 * than the one the kit loads (its entities, types and errors would not be the kit's).
 */
export function checkOrmInstance(orm: object): void {
  if (orm instanceof MikroORM) return;
  const core = kitCoreVersion();
  const theirs = copyOf(orm);
  const described = theirs ? `@mikro-orm/core ${theirs.version} (${theirs.path})` : "another copy of @mikro-orm/core";
  throw new AdapterError(
    ErrorCode.CONFIGURATION,
    `the MikroORM instance comes from ${described}, the kit runs on @mikro-orm/core ${core.version} (${core.path}): ` +
      `two copies of MikroORM are installed; install one version of every @mikro-orm/* package (the kit supports ${SUPPORTED_MIKRO_ORM}) and run \`npm dedupe\``,
  );
}

/** The `@mikro-orm/core` copy whose MikroORM class `orm` was made from, found among the loaded modules. */
function copyOf(orm: object): Resolved | undefined {
  const classes = new Set<unknown>();
  for (let proto = Object.getPrototypeOf(orm); proto; proto = Object.getPrototypeOf(proto)) classes.add(proto.constructor);
  for (const [file, loaded] of Object.entries(require.cache ?? {})) {
    if (!/[\\/]@mikro-orm[\\/]core[\\/]MikroORM\.js$/.test(file)) continue;
    const exported = (loaded?.exports as { MikroORM?: unknown } | undefined)?.MikroORM;
    if (!classes.has(exported)) continue;
    try {
      const pkg = join(dirname(file), "package.json");
      return { version: (require(pkg) as { version: string }).version, path: dirname(file) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** MikroORM's own check: "Bad @mikro-orm/x version 6.4.0. All official @mikro-orm/* packages need ... (6.6.16)". */
const BAD_VERSION = /Bad (@mikro-orm\/[\w-]+) version (\d+\.\d+\.\d+(?:-[\w.]+)?)[\s\S]*?same version as @mikro-orm\/core \((\d+\.\d+\.\d+(?:-[\w.]+)?)\)/;

/**
 * When `MikroORM.init` refused to start because its own version check failed, the CONFIGURATION
 * error naming both versions; otherwise undefined.
 */
export function versionCheckFailure(error: unknown): AdapterError | undefined {
  if (!(error instanceof Error)) return undefined;
  // eslint-disable-next-line no-control-regex
  const match = BAD_VERSION.exec(error.message.replace(/\u001b\[[0-9;]*m/g, ""));
  if (!match) return undefined;
  const [, pkg, version, core] = match;
  return new AdapterError(
    ErrorCode.CONFIGURATION,
    `MikroORM packages of different versions are installed: @mikro-orm/core ${core} but ${pkg} ${version} (MikroORM's own version check); ` +
      `install the same version of every @mikro-orm/* package (the kit supports ${SUPPORTED_MIKRO_ORM})`,
    { cause: error },
  );
}
