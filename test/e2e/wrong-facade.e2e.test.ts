/**
 * `kit.authjs` handed to NextAuth v3 (which wants `kit.legacy`): v3's own log says which facade to
 * pass, instead of "adapter.getAdapter is not a function".
 */
import { createAdapterKit, type AdapterKit } from "../../src";
import { startNextAuthV3Server, type NextAuthV3Server } from "../support/nextauthV3Server";

let kit: AdapterKit;
let server: NextAuthV3Server;
const logged: string[] = [];

beforeAll(async () => {
  kit = createAdapterKit({ database: "memory", secret: "wrong-facade-test-secret-0123456789abcdef" });
  server = await startNextAuthV3Server({
    adapter: kit.authjs,
    secret: "nextauth-v3-secret",
    session: { jwt: false },
    logger: { error: (...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ")), warn: () => undefined, debug: () => undefined },
    providers: [{ id: "email", type: "email", name: "Email", maxAge: 600, sendVerificationRequest: () => undefined }],
  });
});

afterAll(async () => {
  await server?.close();
  await kit?.close();
});

test("NextAuth v3 given kit.authjs logs an error naming kit.legacy, and answers no session", async () => {
  // The session route is where v3 catches an adapter's error and logs it (its sign-in route lets
  // the rejection escape, so the process prints it instead).
  const response = await fetch(`${server.baseUrl}/session`, { headers: { cookie: "next-auth.session-token=some-session-token" } });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
  expect(logged.join("\n")).toContain("NextAuth v3 needs kit.legacy");
  expect(logged.join("\n")).not.toContain("is not a function");
  // Spread or listed, the Auth.js adapter still has exactly its methods.
  expect(Object.keys(kit.authjs)).not.toContain("getAdapter");
  expect({ ...kit.authjs }).not.toHaveProperty("getAdapter");
});
