import { createAdapterKit } from "../../src";
import { createTestDatabase, type TestDatabase } from "./database";

/** A fresh PostgreSQL test database with the kit's tables made (by a kit closed at once). */
export async function createTestDatabaseWithSchema(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  const kit = createAdapterKit({ database: db.url, synchronize: true, sessionTokens: "raw" });
  try {
    await kit.synchronize();
  } finally {
    await kit.close();
  }
  return db;
}
