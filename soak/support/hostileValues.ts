/**
 * fast-check arbitraries for hostile input: wrong types, huge strings (1 MB), unicode (lone
 * surrogates included), SQL metacharacters, invalid dates, and objects carrying
 * prototype-pollution keys (`__proto__`, `constructor`) as own properties.
 */
import fc from "fast-check";

/** Strings an injectable query would trip on. */
export const SQL_PAYLOADS = [
  "x' or '1'='1",
  "' or 1=1 --",
  "'; drop table users; --",
  "\"; delete from sessions; --",
  "1; update users set name = 'pwned'",
  "' union select session_token from sessions --",
  "x') or ('1'='1",
  "'||(select string_agg(session_token, ',') from sessions)||'",
  "\\",
  "\\'",
  "%",
  "_%",
  "$1",
  "?",
  "??",
  ":name",
  "--",
  "/*",
  "'",
  "\"",
  "`",
  ";",
] as const;

const MB = 1 << 20;
/** 1 MB strings (ASCII, two-byte and four-byte characters), built once. */
const HUGE = [
  "a".repeat(MB),
  "é".repeat(MB / 2),
  "🙂".repeat(MB / 4),
  "x' or '1'='1 ".repeat(MB / 13),
  // An "@" and a line break: what a log scrubber's patterns may scan in full.
  `${"a".repeat(MB)}@example.com`,
  `a@b.example\n${"a".repeat(MB)}`,
];

/** Words of connection errors, plain, overlong and with a NUL byte: input that once made the kit rebuild its pool. */
const CONNECTION_WORDS = ["aborted", "Connection terminated unexpectedly", "ECONNRESET", "timeout", "terminating connection due to administrator command"].flatMap(
  (word) => [word, `${word}@example.com`, `${word} ${"x".repeat(400)}`, `${word}\u0000${word}`],
);

/** Names that could pollute a prototype if copied carelessly. */
const PROTO_NAMES = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];

/** Any string a caller could send. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 2 },
  { arbitrary: fc.constantFrom(...SQL_PAYLOADS), weight: 3 },
  { arbitrary: fc.constantFrom(...CONNECTION_WORDS), weight: 2 },
  { arbitrary: fc.constantFrom(...HUGE), weight: 1 },
  { arbitrary: fc.constantFrom(...PROTO_NAMES, "", " ", "\u0000", "a\u0000b", "\uD800", "\uDFFF\uD800"), weight: 2 },
  { arbitrary: fc.emailAddress(), weight: 1 },
  { arbitrary: fc.uuid(), weight: 1 },
);

/** Dates no column can hold, and things that are not dates at all. */
export const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.date(),
  fc.constant(new Date(Number.NaN)),
  fc.constant(new Date(8.64e15)),
  fc.constant(new Date(-8.64e15)),
  fc.constant(new Date(-62198755200001)), // 1 ms before year 0
  fc.constant(new Date(0)),
  fc.constantFrom("2024-01-01T00:00:00Z", "not a date", "", "Infinity"),
  fc.integer(),
  fc.double(),
);

/** Values of the wrong type for any argument. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.constant(Symbol("hostile")),
  fc.constant(() => "a function"),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
  fc.constant(new Date(Number.NaN)),
  fc.constant(Object.create(null)),
  fc.constant(new Map([["id", "x"]])),
);

/** Any value at all: mostly hostile strings, then wrong types, then bad dates. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: hostileString, weight: 5 }, { arbitrary: wrongType, weight: 2 }, { arbitrary: hostileDate, weight: 1 });

/** A string field: usually a (hostile) string, so the call passes validation and reaches the database. */
export const field = (strings: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: strings, weight: 6 }, { arbitrary: wrongType, weight: 1 });

/** A date field: valid often enough to reach the database. */
export const dateField: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), weight: 3 },
  { arbitrary: hostileDate, weight: 2 },
  { arbitrary: wrongType, weight: 1 },
);

/** Own keys that pollute a prototype when an object is merged carelessly (JSON.parse makes `__proto__` an own key). */
const POLLUTERS: Array<Record<string, unknown>> = [
  {},
  JSON.parse('{"__proto__": {"polluted": "yes", "isAdmin": true}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
  JSON.parse('{"__proto__": {"id": "hijacked-id", "email": "hijacked@example.com", "userId": "hijacked-id"}}'),
  JSON.parse('{"prototype": {"polluted": "yes"}, "hasOwnProperty": "not a function"}'),
];

/** Copies `extra`'s own keys onto `target` as own data properties (an assignment to `__proto__` would not). */
function defineAll(target: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(extra)) Object.defineProperty(target, key, { value: extra[key], enumerable: true, writable: true, configurable: true });
  return target;
}

/** A record of the given fields (any may be missing), sometimes carrying pollution keys, sometimes replaced by a wrong type. */
export function hostileRecord(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.constantFrom(...POLLUTERS)).map(([r, p]) => defineAll({ ...(r as object) } as Record<string, unknown>, p));
  return fc.oneof({ arbitrary: record, weight: 8 }, { arbitrary: wrongType, weight: 1 });
}

/** What the prototypes look like now: compared before and after the campaign. */
export function prototypeSnapshot(): string {
  const probe = {} as Record<string, unknown>;
  return JSON.stringify({
    object: Object.getOwnPropertyNames(Object.prototype).sort(),
    array: Object.getOwnPropertyNames(Array.prototype).sort(),
    function: Object.getOwnPropertyNames(Function.prototype).sort(),
    inherited: ["polluted", "isAdmin", "id", "email", "userId"].filter((k) => k in probe),
  });
}
