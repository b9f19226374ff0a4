import type { LegacyAdapter } from "./facades/legacy/createLegacyAdapter";
import type { AdapterKit } from "./kit/AdapterKit";
import { createAdapterKit, type AdapterKitOptions } from "./kit/createAdapterKit";
import type { DatabaseOption } from "./persistence/mikro-orm/resolveDatabase";

/** The v3 adapter, plus the kit behind it (for `kit.close()`, overrides and plugins). */
export interface SeedAdapter extends LegacyAdapter {
  readonly kit: AdapterKit;
}

function legacyAdapter(config?: DatabaseOption, options: Omit<AdapterKitOptions, "database"> = {}): SeedAdapter {
  const kit = createAdapterKit({ ...options, database: config });
  return { getAdapter: kit.legacy.getAdapter, kit };
}

/**
 * The seed's entry points: `Adapters.Default(config)` and `Adapters.MikroORM.Adapter(config, options)`
 * are equivalent to `createAdapterKit({ database: config, ...options }).legacy`, like the seed's
 * TypeORM forms.
 */
export const Adapters = {
  Default: legacyAdapter,
  MikroORM: { Adapter: legacyAdapter },
};
