import { AdapterError, compose, ErrorCode, type AdapterPlugin, type OperationContext } from "../../src";

/** A context as the pipeline builds it; `compose` itself needs nothing else. */
function context(args: unknown = { id: "u1" }): OperationContext {
  return { operation: "getUser", args: args as never, facade: "direct", followUp: () => undefined };
}

function layer(name: string, around: AdapterPlugin["around"]): AdapterPlugin {
  return { name, around };
}

describe("compose", () => {
  test("the first plugin is outermost; each runs around the terminal once", async () => {
    const trail: string[] = [];
    const tracing = (name: string) =>
      layer(name, async (_ctx, next) => {
        trail.push(`${name} in`);
        const result = await next();
        trail.push(`${name} out`);
        return result;
      });
    const run = compose([tracing("a"), tracing("b"), tracing("c")], async () => {
      trail.push("terminal");
      return "done";
    });
    expect(await run(context())).toBe("done");
    expect(trail).toEqual(["a in", "b in", "c in", "terminal", "c out", "b out", "a out"]);
  });

  test("each layer gets its own context copy: arguments replaced inside are not seen outside", async () => {
    const seen: Record<string, unknown> = {};
    const run = compose(
      [
        layer("outer", async (ctx, next) => {
          const result = await next();
          seen.outerAfter = ctx.args;
          return result;
        }),
        layer("rewriter", async (ctx, next) => {
          ctx.args = { id: "rewritten" } as never;
          return next();
        }),
      ],
      async (ctx) => {
        seen.terminal = ctx.args;
        return null;
      },
    );
    await run(context({ id: "presented" }));
    expect(seen).toEqual({ terminal: { id: "rewritten" }, outerAfter: { id: "presented" } });
  });

  test("a plugin that calls next() twice gets INTERNAL 'next() called multiple times', and the terminal ran once", async () => {
    let terminalRuns = 0;
    let secondCall: unknown;
    const run = compose(
      [
        layer("greedy", async (_ctx, next) => {
          const first = await next();
          secondCall = await next().catch((e: unknown) => e);
          return first;
        }),
      ],
      async () => ++terminalRuns,
    );
    expect(await run(context())).toBe(1);
    expect(terminalRuns).toBe(1);
    expect(secondCall).toBeInstanceOf(AdapterError);
    expect(secondCall).toMatchObject({ code: ErrorCode.INTERNAL, operation: "getUser", message: expect.stringContaining("next() called multiple times") });
  });

  test("an error is translated once, where it leaves the layer that threw it: every outer layer gets the same object", async () => {
    const seenByLayers: unknown[] = [];
    const catching = (name: string) =>
      layer(name, async (_ctx, next) => {
        try {
          return await next();
        } catch (error) {
          seenByLayers.push(error);
          throw error;
        }
      });
    const raw = new TypeError("store bug");
    const run = compose([catching("outer"), catching("inner")], () => {
      throw raw; // a synchronous throw from the terminal
    });
    const thrown = await run(context()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(AdapterError);
    expect(thrown).toMatchObject({ code: ErrorCode.INTERNAL, operation: "getUser", cause: raw });
    expect(seenByLayers).toEqual([thrown, thrown]);
    expect(seenByLayers[0]).toBe(thrown);
    expect(seenByLayers[1]).toBe(thrown);
  });

  test("an AdapterError without an operation is named on a new error; the original is never changed", async () => {
    const original = new AdapterError(ErrorCode.NOT_FOUND, "no such row");
    const run = compose([], async () => {
      throw original;
    });
    const thrown = (await run(context()).catch((e: unknown) => e)) as AdapterError;
    expect(thrown).not.toBe(original);
    expect(thrown).toMatchObject({ code: ErrorCode.NOT_FOUND, operation: "getUser", message: "getUser: no such row" });
    expect(original.operation).toBeUndefined();
    expect(original.message).toBe("no such row");
  });

  test("a plugin's own throw is translated at its boundary; one that already names its operation passes as is", async () => {
    const named = new AdapterError(ErrorCode.FORBIDDEN, "closed", { operation: "getUser" });
    const refusing = compose([layer("policy", async () => Promise.reject(named))], async () => "never");
    await expect(refusing(context())).rejects.toBe(named);

    const buggy = compose([layer("buggy", () => { throw new RangeError("oops"); })], async () => "never");
    await expect(buggy(context())).rejects.toMatchObject({ code: ErrorCode.INTERNAL, operation: "getUser", cause: expect.any(RangeError) });
  });
});
