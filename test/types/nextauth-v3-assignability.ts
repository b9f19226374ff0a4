/**
 * Compile-time proof (checked by `tsc --noEmit` in `npm test`) that `kit.legacy` is what
 * next-auth v3's own types accept as its `adapter` option, as the README tells v3 apps to pass it.
 */
// next-auth v3's "exports" map names no types: its apps resolved them the node10 way, from the root.
import type { NextAuthOptions } from "../../node_modules/next-auth-v3/index.js";
import type * as Kit from "../../src";

export const adapter: NextAuthOptions["adapter"] = null as unknown as Kit.LegacyAdapter;
