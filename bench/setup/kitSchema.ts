import { createAdapterKit } from "../../src";

/** Creates the kit's tables in an empty database, as `synchronize: true` does on first connect. */
export async function createKitSchema(url: string): Promise<void> {
  const kit = createAdapterKit({ database: url, synchronize: true, sessionTokens: "raw" });
  try {
    await kit.synchronize();
  } finally {
    await kit.close();
  }
}
