import { createAdapterKit, MemoryDatabase, MemorySessionStore, type AdapterSession, type SessionStore } from "../../src";
import { createTestDatabase, query, type TestDatabase } from "../support/database";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** A session store of a team's own: in memory here, counting the calls it gets. */
class CountingSessionStore extends MemorySessionStore implements SessionStore {
  calls = 0;
  constructor() {
    super(new MemoryDatabase());
  }
  override async create(session: AdapterSession) {
    this.calls++;
    return super.create(session);
  }
  override async find(token: string) {
    this.calls++;
    return super.find(token);
  }
}

test("users in PostgreSQL, sessions in another store, with one binding", async () => {
  const sessions = new CountingSessionStore();
  const kit = createAdapterKit({ database: db.url, synchronize: true, bindStores: { sessions } });
  try {
    const user = await kit.authjs.createUser({ email: "split@example.com", emailVerified: null, name: "Split" });
    await kit.authjs.createSession({ sessionToken: "split-token", userId: user.id, expires: new Date(Date.now() + 60_000) });

    // The session is not in PostgreSQL; the user is.
    expect(await query(db.url, "select * from sessions")).toHaveLength(0);
    expect(await query(db.url, "select id from users where id = $1", [user.id])).toHaveLength(1);

    // The two stores don't share a database, so the lookup goes to each store in turn.
    expect(await kit.authjs.getSessionAndUser("split-token")).toEqual({
      session: { sessionToken: "split-token", userId: user.id, expires: expect.any(Date) },
      user,
    });
    expect(sessions.calls).toBe(2);

    // deleteUser reaches the other store too.
    await kit.authjs.deleteUser(user.id);
    expect(await kit.authjs.getSessionAndUser("split-token")).toBeNull();
  } finally {
    await kit.close();
  }
});

test("kit.bindStore swaps a store after creation", async () => {
  const kit = createAdapterKit({ database: db.url, synchronize: true });
  try {
    const user = await kit.authjs.createUser({ email: "split2@example.com", emailVerified: null });
    const sessions = new CountingSessionStore();
    kit.bindStore("sessions", sessions);
    await kit.authjs.createSession({ sessionToken: "split2", userId: user.id, expires: new Date(Date.now() + 60_000) });
    expect(sessions.calls).toBe(1);
    expect((await kit.authjs.getSessionAndUser("split2"))?.user).toEqual(user);
  } finally {
    await kit.close();
  }
});
