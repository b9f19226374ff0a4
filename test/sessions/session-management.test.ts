/**
 * Session management (`kit.sessions`): list a user's sessions and sign out other devices or
 * everywhere, on each store set, with session tokens in the clear and hashed at rest.
 */
import { randomUUID } from "node:crypto";
import { RedisSessionStore } from "../../examples/split-persistence/RedisSessionStore";
import { deleteKeys, ready, redisClient, uniquePrefix } from "../../plugins/session-cache/test/support";
import type { AdapterKit } from "../../src";
import { query } from "../support/database";
import { prepareStoreSet, STORE_SET_NAMES, uniqueEmail, type StoreSetFixture } from "../support/storeSets";

const HOUR = 60 * 60 * 1000;
const SECRET = "session-management-test-secret-0123456789";

async function userWithSessions(kit: AdapterKit, expiresInMs: number[]) {
  const user = await kit.call("createUser", { email: uniqueEmail("sessions"), emailVerified: null });
  const tokens: string[] = [];
  for (const ms of expiresInMs) {
    const sessionToken = randomUUID();
    await kit.authjs.createSession({ sessionToken, userId: user.id, expires: new Date(Date.now() + ms) });
    tokens.push(sessionToken);
  }
  return { user, tokens };
}

describe.each(STORE_SET_NAMES)("kit.sessions on %s", (name) => {
  let fixture: StoreSetFixture;
  let release: () => Promise<void>;

  beforeAll(async () => {
    ({ fixture, release } = await prepareStoreSet(name));
  });
  afterAll(() => release());

  describe.each([
    ["tokens in the clear", false],
    ["tokens hashed at rest", true],
  ])("%s", (_label, hashed) => {
    let kit: AdapterKit;
    beforeAll(() => {
      kit = fixture.kit(hashed ? { sessionTokens: "hashed", secret: SECRET } : { sessionTokens: "raw" });
    });

    test("list: the user's live sessions only, latest expiry first, the caller's marked, no token", async () => {
      const { user, tokens } = await userWithSessions(kit, [1 * HOUR, 3 * HOUR, 2 * HOUR, -HOUR]);
      const other = await userWithSessions(kit, [HOUR]);

      const listed = await kit.sessions.list(user.id, { current: tokens[2] });

      expect(listed).toHaveLength(3);
      expect(listed.map((s) => s.expires.getTime())).toEqual([...listed.map((s) => s.expires.getTime())].sort((a, b) => b - a));
      expect(listed.every((s) => s.userId === user.id)).toBe(true);
      expect(listed.filter((s) => s.current)).toHaveLength(1);
      expect(listed.find((s) => s.current)!.expires.getTime()).toBeGreaterThan(Date.now() + HOUR);
      expect(new Set(listed.map((s) => s.tokenId)).size).toBe(3);
      const text = JSON.stringify(listed);
      for (const token of [...tokens, ...other.tokens]) expect(text).not.toContain(token);
      expect(await kit.sessions.list(user.id)).toEqual(listed.map((s) => ({ ...s, current: false })));
    });

    test("revoke with except: the other devices are signed out, the caller's session stays", async () => {
      const { user, tokens } = await userWithSessions(kit, [HOUR, HOUR, HOUR]);
      const bystander = await userWithSessions(kit, [HOUR]);

      expect(await kit.sessions.revoke(user.id, { except: tokens[0] })).toBe(2);

      expect(await kit.authjs.getSessionAndUser(tokens[0]!)).not.toBeNull();
      expect(await kit.authjs.getSessionAndUser(tokens[1]!)).toBeNull();
      expect(await kit.authjs.getSessionAndUser(tokens[2]!)).toBeNull();
      expect(await kit.authjs.getSessionAndUser(bystander.tokens[0]!)).not.toBeNull();
      const listed = await kit.sessions.list(user.id, { current: tokens[0] });
      expect(listed).toEqual([expect.objectContaining({ current: true })]);
    });

    test("revoke without except: signed out everywhere", async () => {
      const { user, tokens } = await userWithSessions(kit, [HOUR, HOUR]);
      expect(await kit.sessions.revoke(user.id)).toBe(2);
      for (const token of tokens) expect(await kit.authjs.getSessionAndUser(token)).toBeNull();
      expect(await kit.sessions.list(user.id)).toEqual([]);
    });
  });

  test("bad input is INVALID_INPUT before any query", async () => {
    const kit = fixture.kit();
    await expect(kit.sessions.list(42 as never)).rejects.toMatchObject({ code: "INVALID_INPUT", operation: "listSessionsByUserId" });
    await expect(kit.sessions.revoke("u", { except: 7 as never })).rejects.toMatchObject({ code: "INVALID_INPUT", operation: "deleteSessionsByUserId" });
  });
});

test("with hashed tokens on PostgreSQL the list holds neither the token nor the stored hash", async () => {
  const { fixture, release } = await prepareStoreSet("postgres");
  try {
    const kit = fixture.kit({ sessionTokens: "hashed", secret: SECRET });
    const { user, tokens } = await userWithSessions(kit, [HOUR]);
    const stored = await query<{ session_token: string }>(fixture.url!, "select session_token from sessions where user_id = $1", [user.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.session_token).toMatch(/^h1:/);

    const text = JSON.stringify(await kit.sessions.list(user.id, { current: tokens[0] }));
    expect(text).not.toContain(tokens[0]);
    expect(text).not.toContain(stored[0]!.session_token);
    expect(text).toContain('"current":true');
  } finally {
    await release();
  }
});

test("a session store of your own (the split-persistence example's Redis store) lists and revokes too", async () => {
  const redis = redisClient();
  const prefix = uniquePrefix();
  const { fixture, release } = await prepareStoreSet("memory");
  try {
    await ready(redis);
    const kit = fixture.kit({ bindStores: { sessions: new RedisSessionStore(redis, prefix) } });
    const { user, tokens } = await userWithSessions(kit, [HOUR, 2 * HOUR, 3 * HOUR]);

    expect((await kit.sessions.list(user.id, { current: tokens[0] })).map((s) => s.current)).toEqual([false, false, true]);
    expect(await kit.sessions.revoke(user.id, { except: tokens[0] })).toBe(2);
    expect(await kit.authjs.getSessionAndUser(tokens[0]!)).not.toBeNull();
    expect(await kit.authjs.getSessionAndUser(tokens[2]!)).toBeNull();
    expect(await kit.sessions.list(user.id)).toHaveLength(1);
    expect(await kit.sessions.revoke(user.id)).toBe(1);
    expect(await kit.sessions.list(user.id)).toEqual([]);
  } finally {
    await release();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
});
