/**
 * What the cache hands back on a hit is what the store returned: Dates at any depth (custom user
 * columns included) come back as Dates, everything else as it was, and the presented token is put
 * back. Checked against arbitrary user records with fast-check.
 */
import fc from "fast-check";
import type { SessionAndUser } from "../../../src/plugin-api";
import { decode, encode } from "../codec";

const date = fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true });
/** JSON-safe values with Dates mixed in at any depth, and keys that look like the codec's own tag. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), date),
  node: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("$date", "__proto__", "expires")), tie("node"), { maxKeys: 3 }),
  ),
})).node;

test("decode(encode(x)) is x, dates included, with the presented token", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 5 }), date, fc.string({ minLength: 1 }), (extra, expires, token) => {
      // A `{"$date": n}` object the app stored itself would come back as a Date: the codec's one documented ambiguity.
      fc.pre(!JSON.stringify(extra).includes('"$date"'));
      const entry = { session: { sessionToken: token, userId: "u1", expires }, user: { ...extra, id: "u1", email: "a@example.com", emailVerified: expires } };
      const json = encode(entry as unknown as SessionAndUser);
      fc.pre(json !== undefined);
      expect(decode(json!, token)).toEqual(entry);
    }),
    { numRuns: 300 },
  );
});

test("a `__proto__` key stays an own property and never becomes the prototype", () => {
  const json = '{"session":{"userId":"u1","expires":{"$date":0}},"user":{"id":"u1","__proto__":{"$date":5}}}';
  const { user } = decode(json, "t") as unknown as { user: Record<string, unknown> };
  expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
  expect(Object.prototype.hasOwnProperty.call(user, "__proto__")).toBe(true);
  expect(Object.getOwnPropertyDescriptor(user, "__proto__")!.value).toEqual(new Date(5));
});
