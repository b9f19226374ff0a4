import { AdapterError, createAdapterKit } from "../../src";

/**
 * Malformed arguments are refused with INVALID_INPUT, naming the argument, before any query runs:
 * the kit points at a PostgreSQL port nobody listens on, so reaching the database would fail with
 * DATABASE_UNAVAILABLE instead.
 */
const kit = createAdapterKit({ database: "postgresql://postgres@127.0.0.1:1/none" });
afterAll(() => kit.close());

async function refusal(call: () => Promise<unknown>) {
  const error = await call().then(
    () => undefined,
    (e) => e,
  );
  expect(error).toBeInstanceOf(AdapterError);
  return error as AdapterError;
}

const authjsCases: Array<[string, () => Promise<unknown>, RegExp]> = [
  ["getUser without an id", () => kit.authjs.getUser(undefined as never), /"id" must be a non-empty string/],
  ["getUser with a number", () => kit.authjs.getUser(42 as never), /"id" must be a non-empty string, got number/],
  ["getUserByEmail with an object", () => kit.authjs.getUserByEmail({} as never), /"email"/],
  ["createSession with a string expiry", () => kit.authjs.createSession({ sessionToken: "t", userId: "u", expires: "tomorrow" as never }), /"expires" must be a valid Date/],
  ["createSession with an invalid Date", () => kit.authjs.createSession({ sessionToken: "t", userId: "u", expires: new Date("nope") }), /"expires" must be a valid Date/],
  ["getSessionAndUser with an empty token", () => kit.authjs.getSessionAndUser(""), /"sessionToken" must be a non-empty string, got an empty string/],
  ["useVerificationToken without a token", () => kit.authjs.useVerificationToken({ identifier: "a@b.c" } as never), /"token"/],
  ["createVerificationToken with a numeric expiry", () => kit.authjs.createVerificationToken({ identifier: "a", token: "t", expires: Date.now() as never }), /"expires"/],
  ["linkAccount without a provider", () => kit.authjs.linkAccount({ userId: "u", type: "oauth", providerAccountId: "1" } as never), /"provider"/],
  ["linkAccount with a string expires_at", () => kit.authjs.linkAccount({ userId: "u", type: "oauth", provider: "p", providerAccountId: "1", expires_at: "soon" as never }), /"expires_at" must be an integer/],
  ["updateUser without an id", () => kit.authjs.updateUser({ name: "x" } as never), /"id"/],
  ["createUser with a non-Date emailVerified", () => kit.authjs.createUser({ email: "a@b.c", emailVerified: "yes" as never }), /"emailVerified"/],
  ["createUser with no argument object", () => kit.authjs.createUser(null as never), /expected an argument object/],
  ["updateAuthenticatorCounter with a float", () => kit.authjs.updateAuthenticatorCounter("c", 1.5), /"counter" must be an integer/],
  ["createAuthenticator without a public key", () => kit.authjs.createAuthenticator({ credentialID: "c", userId: "u", providerAccountId: "p", counter: 0, credentialBackedUp: false, credentialDeviceType: "x" } as never), /"credentialPublicKey"/],
];

describe("Auth.js facade refuses malformed arguments with INVALID_INPUT", () => {
  test.each(authjsCases)("%s", async (_name, call, message) => {
    const error = await refusal(call);
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(message);
    expect(error.operation).toBeDefined();
  });
});

describe("NextAuth v3 facade refuses malformed arguments with INVALID_INPUT", () => {
  const v3 = () => kit.legacy.getAdapter({ secret: "s" });
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ["getUser with an object id", async () => (await v3()).getUser({} as never), /"id"/],
    ["getSession without a token", async () => (await v3()).getSession(undefined as never), /"sessionToken"/],
    ["createSession without a user", async () => (await v3()).createSession(undefined as never), /"userId"/],
    ["getVerificationRequest without a token", async () => (await v3()).getVerificationRequest("a@b.c", undefined as never, "s"), /"token"/],
    ["linkAccount without a provider", async () => (await v3()).linkAccount("u", undefined as never, "oauth", "1"), /"provider"/],
    ["updateSession without a session", async () => (await v3()).updateSession(undefined as never), /"session"/],
  ];
  test.each(cases)("%s", async (_name, call, message) => {
    const error = await refusal(call);
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(message);
  });
});

test("the same kit does try the database for well-formed input (so the refusals above came first)", async () => {
  const error = await refusal(() => kit.authjs.getUser("well-formed"));
  expect(error.code).toBe("DATABASE_UNAVAILABLE");
  expect(error.operation).toBe("getUser");
  expect(error.cause).toBeDefined();
});

test("messages never echo the rejected value (it may be a secret)", async () => {
  const error = await refusal(() => kit.authjs.createSession({ sessionToken: "super-secret-token", userId: 7 as never, expires: new Date() }));
  expect(error.message).not.toContain("super-secret-token");
});

test("a NUL character (which PostgreSQL text cannot hold) is refused as INVALID_INPUT", async () => {
  const error = await refusal(() => kit.authjs.getUserByEmail("a\u0000@example.com"));
  expect(error.code).toBe("INVALID_INPUT");
  expect(error.message).toMatch(/"email" must not contain a NUL character/);
});

test("updateSession refuses a non-string accessToken", async () => {
  const error = await refusal(() => kit.authjs.updateSession({ sessionToken: "t", accessToken: 5 } as never));
  expect(error.code).toBe("INVALID_INPUT");
  expect(error.message).toMatch(/"accessToken"/);
});
