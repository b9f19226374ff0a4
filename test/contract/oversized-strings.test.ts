import { createEntities, MAX_STRING_LENGTH } from "../../src";
import { outcomeOf, STORE_SET_NAMES, useStoreSet } from "../support/storeSets";

/**
 * Strings past MAX_STRING_LENGTH are refused before any statement. Before, a 17 MB e-mail ended
 * a MySQL connection (past `max_allowed_packet`; with mysql2 the dead connection went to the next
 * caller), a 40 MB lookup timed a replica out and marked it down, and a 33 MB user id in a
 * sessionCache invalidation made Redis drop every instance's subscriber.
 */
const DAY = 24 * 3600 * 1000;

describe.each(STORE_SET_NAMES)("string lengths on %s", (name) => {
  const storeSet = useStoreSet(name);

  test("one character past the limit is INVALID_INPUT naming the argument; at the limit a value round-trips", async () => {
    const { authjs } = storeSet().kit();
    const over = "x".repeat(MAX_STRING_LENGTH + 1);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["email", () => authjs.getUserByEmail(over)],
      ["id", () => authjs.deleteUser!(over)],
      ["name", () => authjs.createUser({ email: `over-${name}@example.com`, name: over, emailVerified: null })],
      ["sessionToken", () => authjs.getSessionAndUser(over)],
    ];
    for (const [key, call] of calls) {
      const outcome = await outcomeOf(call);
      expect({ key, ...outcome }).toEqual({ key, code: "INVALID_INPUT", message: expect.stringContaining(`"${key}" is longer than the kit accepts`) });
    }
    expect(await authjs.getUserByEmail(`over-${name}@example.com`)).toBeNull();

    const image = `data:image/png;base64,${"A".repeat(MAX_STRING_LENGTH - 22)}`;
    const user = await authjs.createUser({ email: `edge-${name}@example.com`, image, emailVerified: null });
    expect((await authjs.getUser(user.id))?.image).toBe(image);
  });

  test("updateSession ignores an `id` among the changes, even one that cannot be serialised", async () => {
    const { authjs } = storeSet().kit();
    const user = await authjs.createUser({ email: `session-${name}@example.com`, emailVerified: null });
    await authjs.createSession({ sessionToken: `tok-${name}`, userId: user.id, expires: new Date(Date.now() + DAY) });
    const later = new Date(Date.now() + 2 * DAY);
    const id = { toJSON: () => { throw new Error("not serialisable"); } };
    expect(await authjs.updateSession!({ sessionToken: `tok-${name}`, expires: later, id } as never)).toMatchObject({ sessionToken: `tok-${name}`, expires: later });
    expect(await authjs.getSessionAndUser(`tok-${name}`)).toMatchObject({ session: { expires: later }, user: { id: user.id } });
  });
});

describe.each(STORE_SET_NAMES.filter((n) => n !== "memory"))("a value of an app's own column that cannot be serialised, on %s", (name) => {
  const storeSet = useStoreSet(name);

  test("is INVALID_INPUT for that call alone: the next calls on the same connections answer", async () => {
    // Calls one after the other: the next call takes the connection the failed one gave back.
    const { authjs } = storeSet().kit({ entities: createEntities({ properties: { session: { note: { type: "string", length: 255, nullable: true } } } }) });
    const user = await authjs.createUser({ email: `note-${name}@example.com`, emailVerified: null });
    await authjs.createSession({ sessionToken: `note-${name}`, userId: user.id, expires: new Date(Date.now() + DAY) });
    const throwing = { toJSON: () => { throw new Error("not serialisable"); } };
    for (const note of [throwing, [throwing], throwing]) {
      await expect(authjs.updateSession!({ sessionToken: `note-${name}`, note } as never)).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("could not be turned into JSON") });
      expect(await authjs.getSessionAndUser(`note-${name}`)).toMatchObject({ user: { id: user.id } });
      expect(await authjs.updateSession!({ sessionToken: `note-${name}`, note: "fine" } as never)).toMatchObject({ sessionToken: `note-${name}` });
    }
  });
});
