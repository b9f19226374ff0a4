import type { LegacyAdapter } from "./facades/legacy/createLegacyAdapter";
import { createAdapterKit, type AdapterKitOptions } from "./kit/createAdapterKit";
import type { DatabaseOption } from "./persistence/mikro-orm/resolveDatabase";

/** The seed's entry points: each returns the v3 adapter for a `database` configuration. */
function legacyAdapter(config?: DatabaseOption, options: Omit<AdapterKitOptions, "database"> = {}): LegacyAdapter {
  return createAdapterKit({ ...options, database: config }).legacy;
}

/**
 * `Adapters.Default(config)` and `Adapters.MikroORM.Adapter(config, options)` are equivalent to
 * `createAdapterKit({ database: config, ...options }).legacy`, like the seed's TypeORM forms.
 */
export const Adapters = {
  Default: legacyAdapter,
  MikroORM: { Adapter: legacyAdapter },
};
