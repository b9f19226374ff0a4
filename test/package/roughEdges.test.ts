/**
 * What a newcomer hit on day one, as they would check it: the errors the README's table promises,
 * one CONFLICT message whichever store refused, and users without an e-mail on each facade.
 */
import { AdapterError, createAdapterKit, ErrorCode, type AdapterKit } from "../../src";

const STORE_SETS = [
  ["in memory", () => createAdapterKit({ stores: "memory" })],
  ["MikroORM on SQLite", () => createAdapterKit()],
] as const;

const inOneHour = () => new Date(Date.now() + 3600_000);

async function failure(call: Promise<unknown>): Promise<AdapterError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AdapterError)) throw new Error(`expected an AdapterError, got ${String(error)}`);
  return error;
}

describe.each(STORE_SETS)("%s", (_name, create) => {
  let kit: AdapterKit;
  beforeEach(() => {
    kit = create();
  });
  afterEach(() => kit.close());

  test("createSession and linkAccount with an unknown user id are NOT_FOUND", async () => {
    const session = await failure(kit.authjs.createSession({ sessionToken: "s-1", userId: "no-such-user", expires: inOneHour() }));
    expect([session.code, session.operation]).toEqual([ErrorCode.NOT_FOUND, "createSession"]);
    const account = await failure(kit.authjs.linkAccount({ userId: "no-such-user", type: "oauth", provider: "github", providerAccountId: "1" }));
    expect([account.code, account.operation]).toEqual([ErrorCode.NOT_FOUND, "linkAccount"]);
  });

  test("every unique key refused is CONFLICT with one message", async () => {
    const user = await kit.authjs.createUser({ email: "ada@example.com", emailVerified: null });
    await kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "1" });
    await kit.authjs.createSession({ sessionToken: "s-1", userId: user.id, expires: inOneHour() });
    await kit.authjs.createVerificationToken!({ identifier: "ada@example.com", token: "t-1", expires: inOneHour() });
    const refused = await Promise.all([
      failure(kit.authjs.createUser({ email: "ada@example.com", emailVerified: null })),
      failure(kit.authjs.linkAccount({ userId: user.id, type: "oauth", provider: "github", providerAccountId: "1" })),
      failure(kit.authjs.createSession({ sessionToken: "s-1", userId: user.id, expires: inOneHour() })),
      failure(kit.authjs.createVerificationToken!({ identifier: "ada@example.com", token: "t-1", expires: inOneHour() })),
    ]);
    for (const error of refused) {
      expect(error.code).toBe(ErrorCode.CONFLICT);
      expect(error.message).toBe(`${error.operation}: a row with the same unique key already exists`);
    }
  });

  test("both facades create a user without an e-mail, or with an empty one, as email null (as @auth/core and v3 ask for one)", async () => {
    for (const email of [undefined, null, "", ""]) {
      const created = await kit.authjs.createUser({ email, emailVerified: null, name: `No Mail ${email}` } as never);
      expect(created.email).toBeNull();
      expect(await kit.authjs.getUser(created.id)).toEqual(expect.objectContaining({ id: created.id, email: null, name: `No Mail ${email}` }));
    }
    const wrong = await failure(kit.authjs.createUser({ email: 42, emailVerified: null } as never));
    expect([wrong.code, wrong.operation]).toEqual([ErrorCode.INVALID_INPUT, "createUser"]);
    expect(wrong.message).toMatch(/email/);
    const v3 = await kit.legacy.getAdapter({ secret: "s", baseUrl: "http://localhost:3000", session: { maxAge: 3600, updateAge: 600 } });
    const user = await v3.createUser({ name: "No Mail" });
    expect(user.email).toBeNull();
    for (const name of ["Empty 1", "Empty 2"]) expect((await v3.createUser({ name, email: "" })).email).toBeNull();
    expect((await v3.getUser(user.id))?.name).toBe("No Mail");
  });
});
