/**
 * An app's own operation, store or plugin that throws a message quoting a value (mysql2 writes
 * "Duplicate entry 'ada@example.com' for key ..."): the kit's INTERNAL error names what was thrown
 * but not its words, so neither Auth.js's error log nor the kit's stack shows the value; the
 * original stays the cause.
 */
import type { AuthConfig } from "@auth/core";
import { createAdapterKit, Operation, type AdapterPlugin } from "../../src";

const TOKEN = "s3ss10n-t0ken-quoted-by-a-store-4f9a";
const EMAIL = "ada.lovelace@example.com";

@Operation("getSessionAndUser")
class LookupThatQuotesTheToken {
  async execute(sessionToken: string): Promise<never> {
    throw new Error(`session lookup failed for ${sessionToken}`);
  }
}

/** What Auth.js's default logger prints for an error: its name and message, and the cause's stack. */
function printed(error: Error & { cause?: { err?: unknown } }): string {
  const cause = error.cause?.err;
  return [`${error.name}: ${error.message}`, cause instanceof Error ? String(cause.stack) : "", String(error.stack)].join("\n");
}

test("Auth.js's log of an override's error shows the kit's INTERNAL, not the token the override quoted", async () => {
  const { Auth } = await import("@auth/core");
  const kit = createAdapterKit({ stores: "memory", sessionTokens: "raw" }).override(LookupThatQuotesTheToken);
  const logged: string[] = [];
  const config: AuthConfig = {
    adapter: kit.authjs,
    basePath: "/auth",
    secret: "foreign-error-text-secret",
    trustHost: true,
    session: { strategy: "database" },
    providers: [{ id: "email", type: "email", name: "Email", maxAge: 600, sendVerificationRequest: () => undefined }],
    logger: { error: (error) => void logged.push(printed(error as never)) },
  };
  try {
    const response = await Auth(new Request("http://localhost/auth/session", { headers: { cookie: `authjs.session-token=${TOKEN}` } }), config);
    // Auth.js answers "no session" and logs the adapter's error.
    expect(response.status).toBe(200);
    const log = logged.join("\n");
    expect(log).toContain("getSessionAndUser: unexpected Error; its message is not repeated here");
    expect(log).not.toContain(TOKEN);
  } finally {
    await kit.close();
  }
});

test("a plugin's thrown string or Error quoting an e-mail: INTERNAL without it in message or stack; the original is the cause", async () => {
  const thrown: unknown[] = [new RangeError(`Duplicate entry '${EMAIL}' for key 'users.email'`), `no sign-ups for ${EMAIL}`];
  for (const value of thrown) {
    const plugin: AdapterPlugin = { name: "quotes-values", operations: ["createUser"], around: () => Promise.reject(value) };
    const kit = createAdapterKit({ stores: "memory", plugins: [plugin] });
    try {
      const error = (await kit.authjs.createUser({ email: EMAIL, emailVerified: null }).catch((e: unknown) => e)) as Error & { code: string; cause: unknown };
      expect(error).toMatchObject({ code: "INTERNAL", operation: "createUser", cause: value });
      expect(error.message).toBe(`createUser: unexpected ${value instanceof Error ? "RangeError" : "thrown string"}; its message is not repeated here (it may quote a value): see cause`);
      expect(`${String(error)}\n${error.stack}`).not.toContain(EMAIL);
    } finally {
      await kit.close();
    }
  }
});
