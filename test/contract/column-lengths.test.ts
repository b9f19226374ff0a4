import { outcomeOf, STORE_SET_NAMES, useStoreSet } from "../support/storeSets";

/**
 * A value longer than its column is INVALID_INPUT on every database, before any statement. SQLite
 * stored any length (an app tested on it broke on PostgreSQL), and PostgreSQL and MySQL cut a value
 * whose excess was spaces: the call succeeded and the row held another token than the caller's.
 */
const DAY = 24 * 3600 * 1000;

describe.each(STORE_SET_NAMES.filter((n) => n !== "memory"))("column lengths on %s", (name) => {
  const storeSet = useStoreSet(name);

  test("one character over is INVALID_INPUT naming the column's length; characters, not UTF-16 units, count", async () => {
    const { authjs } = storeSet().kit();
    const expires = new Date(Date.now() + DAY);
    const user = await authjs.createUser({ email: `len-${name}@example.com`, emailVerified: null });
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["email", () => authjs.createUser({ email: `${"e".repeat(309)}@example.com`, emailVerified: null })],
      ["email", () => authjs.updateUser!({ id: user.id, email: `${"e".repeat(309)}@example.com` })],
      ["token", () => authjs.createVerificationToken!({ identifier: "ada@example.com", token: `${"k".repeat(255)} `, expires })],
      ["providerAccountId", () => authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "9".repeat(256) })],
    ];
    for (const [key, call] of calls) {
      const outcome = await outcomeOf(call);
      expect({ key, ...outcome }).toEqual({ key, code: "INVALID_INPUT", message: expect.stringMatching(new RegExp(`"${key}" is longer than its column \\(\\d+ characters\\)`)) });
    }
    expect(await authjs.useVerificationToken!({ identifier: "ada@example.com", token: "k".repeat(255) })).toBeNull();

    // 255 emoji are 510 UTF-16 units and 255 characters: they fit a 255-character column.
    const emoji = "\u{1F600}".repeat(255);
    await authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: emoji });
    expect(await authjs.getUserByAccount({ provider: "github", providerAccountId: emoji })).toMatchObject({ id: user.id });
    const exact = `${"k".repeat(254)} `;
    await authjs.createVerificationToken!({ identifier: "ada@example.com", token: exact, expires });
    expect(await authjs.useVerificationToken!({ identifier: "ada@example.com", token: exact })).toMatchObject({ token: exact });
  });
});
