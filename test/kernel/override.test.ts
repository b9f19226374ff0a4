import { inject } from "../../src";
import {
  createAdapterKit,
  Operation,
  Plugin,
  TYPES,
  OPERATIONS,
  type AdapterPlugin,
  type ArgsOf,
  type OperationContext,
  type UserStore,
} from "../../src";

/** Records which operations passed through it. */
function recorder(name: string, log: string[], order?: number): AdapterPlugin {
  return {
    name,
    order,
    async around(ctx, next) {
      log.push(`${name}>${ctx.operation}`);
      const result = await next();
      log.push(`<${name}`);
      return result;
    },
  };
}

@Operation("getUserByEmail")
class CaseInsensitiveGetUserByEmail {
  static calls = 0;
  constructor(@inject(TYPES.UserStore) private readonly users: UserStore) {}
  execute({ email }: ArgsOf<"getUserByEmail">) {
    CaseInsensitiveGetUserByEmail.calls++;
    return this.users.findByEmail(email.toLowerCase());
  }
}

describe("overriding one operation", () => {
  test("kit.override(name, Class): the replacement runs, with its store injected, and plugins still wrap it", async () => {
    const log: string[] = [];
    const kit = createAdapterKit({ stores: "memory", plugins: [recorder("audit", log)] });
    const user = await kit.authjs.createUser({ email: "mixed@example.com", emailVerified: null });
    expect(await kit.authjs.getUserByEmail("MIXED@example.com")).toBeNull();

    kit.override("getUserByEmail", CaseInsensitiveGetUserByEmail);
    log.length = 0;
    expect(await kit.authjs.getUserByEmail("MIXED@example.com")).toEqual(user);
    expect(CaseInsensitiveGetUserByEmail.calls).toBe(1);
    expect(log).toEqual(["audit>getUserByEmail", "<audit"]);
  });

  test("kit.override(Class) reads the operation from @Operation; the legacy facade uses it too", async () => {
    const kit = createAdapterKit({ stores: "memory" });
    const user = await kit.authjs.createUser({ email: "v3@example.com", emailVerified: null });
    kit.override(CaseInsensitiveGetUserByEmail);
    const v3 = await kit.legacy.getAdapter({ secret: "s" });
    expect(await v3.getUserByEmail("V3@EXAMPLE.COM")).toEqual(user);
  });

  test("operations: {...} at creation, and a hand binding through kit.container + reload()", async () => {
    const kit = createAdapterKit({ stores: "memory", operations: { getUserByEmail: CaseInsensitiveGetUserByEmail } });
    const user = await kit.authjs.createUser({ email: "c@example.com", emailVerified: null });
    expect(await kit.authjs.getUserByEmail("C@example.com")).toEqual(user);

    @Operation("getUser")
    class AlwaysNull {
      async execute() {
        return null;
      }
    }
    kit.container.rebindSync(OPERATIONS.getUser).to(AlwaysNull);
    kit.reload();
    expect(await kit.authjs.getUser(user.id)).toBeNull();
  });

  test("override refuses an unknown operation with a clear error", () => {
    const kit = createAdapterKit({ stores: "memory" });
    expect(() => kit.override("getUserByPhone" as never, CaseInsensitiveGetUserByEmail)).toThrow(/unknown operation "getUserByPhone"/);
    class Undecorated {}
    expect(() => kit.override(Undecorated as never)).toThrow(/@Operation/);
  });
});

describe("plugins", () => {
  test("run as an onion in order; equal orders keep registration order", async () => {
    const log: string[] = [];
    const kit = createAdapterKit({
      stores: "memory",
      plugins: [recorder("inner", log, 800), recorder("outer", log, 10), recorder("mid-a", log, 500), recorder("mid-b", log, 500)],
    });
    await kit.authjs.getUser("x");
    expect(log).toEqual(["outer>getUser", "mid-a>getUser", "mid-b>getUser", "inner>getUser", "<inner", "<mid-b", "<mid-a", "<outer"]);
  });

  test("a plugin only wraps the operations it names", async () => {
    const log: string[] = [];
    const kit = createAdapterKit({ stores: "memory", plugins: [{ ...recorder("sessions-only", log), operations: ["getSessionAndUser"] }] });
    await kit.authjs.getUser("x");
    await kit.authjs.getSessionAndUser("t");
    expect(log).toEqual(["sessions-only>getSessionAndUser", "<sessions-only"]);
  });

  test("a @Plugin class gets its dependencies injected and can change arguments and results", async () => {
    @Plugin({ operations: ["createUser"], order: 50 })
    class LowercaseEmails {
      constructor(@inject(TYPES.UserStore) readonly users: UserStore) {}
      async around(ctx: OperationContext, next: () => Promise<unknown>) {
        const args = ctx.args as ArgsOf<"createUser">;
        ctx.args = { ...args, email: args.email.toLowerCase() };
        return next();
      }
    }
    const kit = createAdapterKit({ stores: "memory" });
    kit.use(LowercaseEmails);
    const user = await kit.authjs.createUser({ email: "UPPER@EXAMPLE.COM", emailVerified: null });
    expect(user.email).toBe("upper@example.com");
  });

  test("a plugin that short-circuits never reaches the store", async () => {
    const blocked: AdapterPlugin = {
      name: "block-domain",
      operations: ["createUser"],
      async around(ctx, next) {
        if ((ctx.args as { email: string }).email.endsWith("@blocked.example")) throw new Error("sign-ups from this domain are closed");
        return next();
      },
    };
    const kit = createAdapterKit({ stores: "memory", plugins: [blocked] });
    const error = await kit.authjs.createUser({ email: "x@blocked.example", emailVerified: null }).catch((e) => e);
    expect(error).toMatchObject({ code: "INTERNAL", operation: "createUser", cause: expect.objectContaining({ message: "sign-ups from this domain are closed" }) });
    expect(await kit.authjs.getUserByEmail("x@blocked.example")).toBeNull();
  });

  test("kit.use refuses a @Plugin class that wraps an unknown operation, with CONFIGURATION", () => {
    @Plugin({ operations: ["nope" as never] })
    class Misspelt {
      around(_ctx: OperationContext, next: () => Promise<unknown>) {
        return next();
      }
    }
    expect(() => createAdapterKit({ stores: "memory" }).use(Misspelt)).toThrow(expect.objectContaining({ code: "CONFIGURATION", message: expect.stringMatching(/unknown operation "nope"/) }));
  });
});
