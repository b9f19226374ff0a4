import { AdapterError, ErrorCode } from "../errors/AdapterError";

/**
 * Loads an optional peer dependency the first time a plugin needs it, so an app that never uses the
 * plugin never installs the package. `load` must be a literal `() => require("name")`: bundlers
 * (Next.js) follow literal requires only.
 */
export function optionalPeer<T>(name: string | (() => string), feature: string, load: () => unknown): T {
  try {
    return load() as T;
  } catch (cause) {
    // A function names the package only when it is missing (e.g. at the version the app needs).
    const spec = typeof name === "function" ? name() : name;
    // A version is pinned (-E): a caret range could later resolve past the app's other packages.
    const install = /.@\d/.test(spec) ? `npm install -E ${spec}` : `npm install ${spec}`;
    throw new AdapterError(ErrorCode.CONFIGURATION, `${feature} needs the optional package "${spec}": install it with \`${install}\``, { cause });
  }
}
