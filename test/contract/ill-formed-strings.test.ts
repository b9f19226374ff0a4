import { outcomeOf, STORE_SET_NAMES, useStoreSet } from "../support/storeSets";

/**
 * A lone surrogate has no UTF-8 form. PostgreSQL and MySQL stored U+FFFD in its place, so two
 * different values became one key there (a link made for "tok\uD83D" was used with "tok\uDE00"),
 * while SQLite kept raw bytes a read-back value could not find again. Every store refuses them.
 */
const DAY = 24 * 3600 * 1000;

describe.each(STORE_SET_NAMES)("ill-formed strings on %s", (name) => {
  const storeSet = useStoreSet(name);

  test("keys and values with a lone surrogate are INVALID_INPUT, and nothing is stored", async () => {
    const { authjs } = storeSet().kit();
    const user = await authjs.createUser({ email: `ok-${name}@example.com`, emailVerified: null });
    const expires = new Date(Date.now() + DAY);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["createUser email", () => authjs.createUser({ email: "x\uD800@example.com", emailVerified: null })],
      ["createUser name", () => authjs.createUser({ email: `n-${name}@example.com`, name: "Ada \uDC00", emailVerified: null })],
      ["getUserByEmail", () => authjs.getUserByEmail("x\uDBFF@example.com")],
      ["createVerificationToken", () => authjs.createVerificationToken!({ identifier: "ada@example.com", token: "tok\uD83D", expires })],
      ["useVerificationToken", () => authjs.useVerificationToken!({ identifier: "ada@example.com", token: "tok\uDE00" })],
      ["createSession", () => authjs.createSession({ sessionToken: "s\uD800", userId: user.id, expires })],
      ["getSessionAndUser", () => authjs.getSessionAndUser("s\uDC00")],
      ["linkAccount", () => authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "1\uD800" })],
      ["getUserByAccount", () => authjs.getUserByAccount({ provider: "github", providerAccountId: "1\uDFFF" })],
    ];
    for (const [label, call] of calls) {
      const outcome = await outcomeOf(call);
      expect({ label, ...outcome }).toEqual({ label, code: "INVALID_INPUT", message: expect.stringMatching(/well-formed UTF-16/) });
    }
    expect(await authjs.getUserByEmail("x\uFFFD@example.com")).toBeNull();
    // A well-formed pair (an emoji) is a normal value.
    const emoji = await authjs.createUser({ email: `\uD83D\uDE00-${name}@example.com`, emailVerified: null });
    expect(await authjs.getUserByEmail(`\uD83D\uDE00-${name}@example.com`)).toMatchObject({ id: emoji.id });
  });
});
