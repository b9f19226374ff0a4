import { inspect } from "node:util";
import { createAdapterKit, type DatabaseOption } from "../../src";

/**
 * What a kit's first call on `database` gives: "connected", or the error's code. The error, inspected
 * in depth, must not hold `secret` (a password in the URL or the object).
 */
export async function firstCall(database: DatabaseOption, secret: string): Promise<string> {
  const kit = createAdapterKit({ database, synchronize: true });
  try {
    await kit.authjs.getUser("u1");
    return "connected";
  } catch (error) {
    expect(inspect(error, { depth: 10 })).not.toContain(secret);
    return (error as { code: string }).code;
  } finally {
    await kit.close();
  }
}

/** The error `createAdapterKit` throws for this `database`; fails the test when it accepts it. */
export function refusal(database: DatabaseOption): { code?: string; message: string } {
  try {
    createAdapterKit({ database });
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("createAdapterKit accepted the database option");
}
