/**
 * The cache tells the kit it translates its own failures (so a hit gets no extra step): whatever
 * fails inside it must still reach the plugins outside as one AdapterError naming the operation.
 */
import { createAdapterKit, ErrorCode, type AdapterPlugin } from "../../../src";
import { sessionCache } from "..";

test.each(["getSessionAndUser", "deleteSession"] as const)("%s: a failure inside the cache reaches outer plugins and the caller as the same AdapterError", async (operation) => {
  const seen: unknown[] = [];
  const outer: AdapterPlugin = {
    name: "outer",
    order: 1,
    around: (_ctx, next) => next().catch((error: unknown) => (seen.push(error), Promise.reject(error))),
  };
  // A listener that throws: the cache reports every lookup, so its own code path fails here.
  const breaking: AdapterPlugin = { name: "breaking", around: (_ctx, next) => next(), setup: (host) => host.on("cache.request", () => { throw new TypeError("listener bug"); }) };
  const failingStore: AdapterPlugin = {
    name: "failing-delete",
    order: 900,
    operations: ["deleteSession"],
    around: () => Promise.reject(new RangeError("store bug")),
  };
  const kit = createAdapterKit({ stores: "memory", sessionTokens: "raw", plugins: [outer, breaking, sessionCache(), failingStore] });
  const call = operation === "getSessionAndUser" ? kit.authjs.getSessionAndUser("no-such-token") : kit.authjs.deleteSession("some-token");
  const thrown = await call.catch((e: unknown) => e);
  expect(thrown).toMatchObject({ code: ErrorCode.INTERNAL, operation });
  expect(seen).toHaveLength(1);
  expect(seen[0]).toBe(thrown);
  await kit.close();
});
