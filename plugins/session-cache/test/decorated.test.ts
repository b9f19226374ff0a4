import { createAdapterKit, Plugin, TYPES, type OperationContext, type PluginHost } from "../../../src";
import { sessionCache } from "..";
import { signIn, storeCalls } from "./support";

/** A team's own class around the factory, registered through the container like any plugin class. */
@Plugin({ name: "team-session-cache", order: 300, operations: ["getSessionAndUser", "createSession", "updateSession", "deleteSession", "updateUser", "deleteUser", "unlinkAccount"] })
class TeamSessionCache {
  static instances: TeamSessionCache[] = [];
  readonly inner = sessionCache({ ttlMs: 60_000 });
  closed = false;
  constructor() {
    TeamSessionCache.instances.push(this);
  }
  setup(host: PluginHost) {
    this.inner.setup?.(host);
  }
  around(ctx: OperationContext, next: () => Promise<unknown>) {
    return this.inner.around(ctx, next);
  }
  async close() {
    this.closed = true;
    await this.inner.close?.();
  }
}

test("sessionCache works as a decorated class bound through the container", async () => {
  const reads = storeCalls();
  const kit = createAdapterKit({ stores: "memory", plugins: [reads] });
  kit.container.bind(TYPES.Plugin).to(TeamSessionCache).inSingletonScope();
  kit.reload();
  const events: string[] = [];
  kit.events.on("cache.request", (e) => events.push(e.result));

  const { session } = await signIn(kit);
  reads.count = 0;
  await kit.authjs.getSessionAndUser(session.sessionToken);
  await kit.authjs.getSessionAndUser(session.sessionToken);
  expect(events).toEqual(["miss", "hit"]);
  expect(reads.count).toBe(1);

  await kit.authjs.deleteSession(session.sessionToken);
  expect(await kit.authjs.getSessionAndUser(session.sessionToken)).toBeNull();

  await kit.close();
  expect(TeamSessionCache.instances).toHaveLength(1);
  expect(TeamSessionCache.instances[0]!.closed).toBe(true);
});
