/** The logging plugin on the in-memory stores (levels, scrubbing, failing loggers, the container) and its options. */
import "reflect-metadata";
import { inject } from "inversify";
import pino from "pino";
import { AdapterError, createAdapterKit, ErrorCode, Plugin, PluginOrder, TYPES, type OperationContext } from "../../../src";
import { logging, type PinoLike } from "..";
import { hex, inOneHour, letters, memoryLogger, rejection, type LogRecord } from "./support";

describe("logging on the in-memory stores", () => {
  test("logEmails: true lets the e-mail address appear", async () => {
    const log = memoryLogger("trace");
    const kit = createAdapterKit({ stores: "memory", plugins: [logging({ logger: log.logger, logEmails: true })] });
    const email = "carol@example.net";
    await kit.authjs.createUser({ email, emailVerified: null });
    await kit.authjs.getUserByEmail(email);
    await kit.authjs.createVerificationToken({ identifier: email, token: letters("tok"), expires: inOneHour() });
    const records = log.records();
    expect(records.map((r) => [r.operation, r.email ?? r["identifier" as keyof LogRecord]])).toEqual([
      ["createUser", email],
      ["getUserByEmail", email],
      ["createVerificationToken", email],
    ]);
    expect(log.text()).not.toContain('"token"');
  });

  test("the line's level is the user's choice; failures stay at error even when that level is off", async () => {
    const info = memoryLogger("trace");
    const kitInfo = createAdapterKit({ stores: "memory", plugins: [logging({ logger: info.logger, level: "info" })] });
    await kitInfo.authjs.getUser("nobody");
    expect(info.records().map((r) => [r.level, r.operation, r.outcome])).toEqual([[30, "getUser", "null"]]);

    const quiet = memoryLogger("warn");
    const kitQuiet = createAdapterKit({ stores: "memory", plugins: [logging({ logger: quiet.logger })] });
    await kitQuiet.authjs.createUser({ email: "dave@example.com", emailVerified: null });
    await rejection(kitQuiet.authjs.createUser({ email: "dave@example.com", emailVerified: null }));
    expect(quiet.records().map((r) => [r.level, r.operation, r.outcome, r.code])).toEqual([[50, "createUser", "error", "CONFLICT"]]);
  });

  test("an error message echoing nested arguments is scrubbed by key and by pattern", async () => {
    const log = memoryLogger("trace");
    const hidden = { refresh: letters("nestedrefresh"), jwt: `eyJ${hex(20)}.${hex(20)}.${hex(20)}`, email: "erin@example.com" };
    // A store (or driver) that puts the whole argument object in its error message.
    class LeakyLinkAccount {
      async execute(args: unknown): Promise<never> {
        throw new Error(`could not link: ${JSON.stringify(args)} for ${hidden.email}`);
      }
    }
    const kit = createAdapterKit({ stores: "memory", plugins: [logging({ logger: log.logger })], operations: { linkAccount: LeakyLinkAccount } });
    const failure = await rejection(
      kit.authjs.linkAccount({
        userId: "u1",
        type: "oauth",
        provider: "github",
        providerAccountId: "1",
        profile: { raw: { refresh_token: hidden.refresh, nested: [{ idToken: hidden.jwt }] } },
      }),
    );
    expect(failure.code).toBe(ErrorCode.INTERNAL);
    // The kit's message leaves the thrown words out; the cause, the app's own error, is untouched.
    for (const value of Object.values(hidden)) expect(failure.message).not.toContain(value);
    expect((failure.cause as Error).message).toContain(hidden.refresh);
    const [record] = log.records();
    expect(record).toMatchObject({ level: 50, operation: "linkAccount", outcome: "error", code: "INTERNAL", provider: "github" });
    // The log describes the cause, scrubbed by key and by pattern.
    expect(JSON.stringify(record!.error!.cause)).toContain("[REDACTED]");
    for (const value of Object.values(hidden)) expect(log.text()).not.toContain(value);
  });

  test("a throwing logger or stream never breaks the call", async () => {
    const throwing = () => {
      throw new Error("logger down");
    };
    const brokenLogger = { child: throwing, isLevelEnabled: () => true } as unknown as PinoLike;
    const brokenStream = pino({ level: "trace" }, { write: throwing });
    for (const logger of [brokenLogger, brokenStream]) {
      const kit = createAdapterKit({ stores: "memory", plugins: [logging({ logger })] });
      const user = await kit.authjs.createUser({ email: "frank@example.com", emailVerified: null });
      expect(await kit.authjs.getUser(user.id)).toEqual(user);
      expect(await kit.authjs.getUser("missing")).toBeNull();
      // The operation's own failure comes out, not the logger's.
      const failure = await rejection(kit.authjs.createUser({ email: "frank@example.com", emailVerified: null }));
      expect(failure).toBeInstanceOf(AdapterError);
      expect(failure.code).toBe(ErrorCode.CONFLICT);
    }
  });

  test("works as a decorated class resolved by the container, with the logger injected", async () => {
    const LOGGER = Symbol("Logger");
    @Plugin({ name: "container-logging", order: PluginOrder.LOGGING })
    class ContainerLogging {
      private readonly inner;
      constructor(@inject(LOGGER) logger: PinoLike) {
        this.inner = logging({ logger, level: "info" });
      }
      around(ctx: OperationContext, next: () => Promise<unknown>) {
        return this.inner.around(ctx, next);
      }
    }
    const log = memoryLogger("trace");
    const viaUse = createAdapterKit({ stores: "memory" });
    viaUse.container.bind(LOGGER).toConstantValue(log.logger);
    viaUse.use(ContainerLogging);
    await viaUse.authjs.getUser("nobody");

    const viaBind = createAdapterKit({ stores: "memory" });
    viaBind.container.bind(LOGGER).toConstantValue(log.logger);
    viaBind.container.bind(TYPES.Plugin).to(ContainerLogging);
    viaBind.reload();
    await viaBind.authjs.getUserByEmail("nobody@example.com");

    expect(log.records().map((r) => [r.level, r.operation, r.outcome])).toEqual([
      [30, "getUser", "null"],
      [30, "getUserByEmail", "null"],
    ]);
  });
});

describe("logging() options", () => {
  test("defaults to PluginOrder.LOGGING and its own pino logger; the order can be changed", () => {
    expect(logging().order).toBe(PluginOrder.LOGGING);
    expect(logging({ order: 42, logger: memoryLogger().logger }).order).toBe(42);
  });

  test("an unknown level is a CONFIGURATION error", () => {
    expect(() => logging({ level: "loud" as never })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
  });

  test("without pino installed, creating the default logger is a CONFIGURATION error naming the package", () => {
    jest.isolateModules(() => {
      jest.doMock("pino", () => {
        throw Object.assign(new Error("Cannot find module 'pino'"), { code: "MODULE_NOT_FOUND" });
      });
      const fresh = require("..") as typeof import("..");
      expect(() => fresh.logging()).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringContaining('"pino"') }));
      // A logger handed in needs no pino at all.
      expect(() => fresh.logging({ logger: memoryLogger().logger })).not.toThrow();
    });
    jest.dontMock("pino");
  });
});
