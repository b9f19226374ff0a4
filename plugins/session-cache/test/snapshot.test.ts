/** The in-process tier's snapshots give exactly what the JSON form gives, or decline the value. */
import fc from "fast-check";
import type { SessionAndUser } from "../../../src/plugin-api";
import { decode, encode } from "../codec";
import { restore, snapshot } from "../snapshot";

const value = (user: Record<string, unknown> = {}, session: Record<string, unknown> = {}): SessionAndUser =>
  ({
    session: { sessionToken: "stored-form", userId: "u1", expires: new Date(Date.UTC(2030, 0, 1)), ...session },
    user: { id: "u1", email: "a@example.com", emailVerified: null, name: "A", image: undefined, admin: true, logins: 3, ...user },
  }) as SessionAndUser;

/** Keys, values and their types: what a caller can tell apart (the order of keys aside, see below). */
const shape = (v: SessionAndUser) => {
  const sorted = (r: object) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, [Object.prototype.toString.call(x), x]]));
  return JSON.stringify([sorted(v.session), sorted(v.user)]);
};

describe("snapshot", () => {
  test.each([
    ["a typical session", value()],
    ["custom Date columns, an invalid Date", value({ lastSeen: new Date(1234), bornAt: new Date(Number.NaN) })],
    ["the token first or last among the session's keys", value({}, { sessionToken: "x", accessToken: "at" })],
    ["functions and symbols (JSON leaves them out)", value({ hook: () => 1, tag: Symbol("t") })],
  ])("%s: a copy equal to the JSON form's, key order and types included, with the presented token", (_what, v) => {
    const snap = snapshot(v);
    expect(snap).toBeDefined();
    const fromSnapshot = restore(snap!, "presented");
    const fromJson = decode(encode(v)!, "presented");
    expect(shape(fromSnapshot)).toBe(shape(fromJson));
    expect(fromSnapshot.session.sessionToken).toBe("presented");
    // The store's order of keys (the JSON form moves the token last).
    expect(Object.keys(fromSnapshot.session)).toEqual(Object.keys(v.session).filter((k) => v.session[k as keyof typeof v.session] !== undefined));
    expect(Object.keys(fromSnapshot.user)).toEqual(Object.keys(v.user).filter((k) => !["undefined", "function", "symbol"].includes(typeof (v.user as unknown as Record<string, unknown>)[k])));
  });

  test.each([
    ["a nested object", value({ profile: { plan: "pro" } })],
    ["an array", value({ roles: ["admin"] })],
    ["NaN", value({ score: Number.NaN })],
    ["-0", value({ score: -0 })],
    ["an own toJSON", value({ toJSON: () => "x" })],
    ["a class instance", { session: value().session, user: Object.assign(new (class User {})(), { id: "u1" }) } as unknown as SessionAndUser],
  ])("%s: no snapshot (the JSON form keeps it faithfully)", (_what, v) => {
    expect(snapshot(v)).toBeUndefined();
  });

  test("every copy is fresh: changing one (its Dates too) changes neither the snapshot nor the next copy", () => {
    const v = value({ lastSeen: new Date(5000) });
    const snap = snapshot(v)!;
    v.user.name = "changed at the source";
    const first = restore(snap, "t");
    first.user.name = "changed by a caller";
    first.session.expires.setTime(0);
    (first.user as unknown as { lastSeen: Date }).lastSeen.setTime(0);
    const second = restore(snap, "t");
    expect(second.user.name).toBe("A");
    expect(second.session.expires.getTime()).toBe(Date.UTC(2030, 0, 1));
    expect((second.user as unknown as { lastSeen: Date }).lastSeen.getTime()).toBe(5000);
  });

  test("arbitrary flat records: whenever there is a snapshot, its copy is the JSON form's", () => {
    const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date());
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "toJSON", "sessionToken", "expires", "$date"));
    const record = fc.dictionary(key, leaf, { maxKeys: 6 });
    fc.assert(
      fc.property(record, record, (user, session) => {
        const v = value(user, { ...session, expires: new Date(1000) });
        const snap = snapshot(v);
        if (snap) expect(shape(restore(snap, "p"))).toBe(shape(decode(encode(v)!, "p")));
      }),
      { numRuns: 500 },
    );
  });
});
