/**
 * NextAuth v3 (`next-auth@3`): the seed's three equivalent ways to configure the adapter. Each one
 * drives v3's real handler, served over HTTP on loopback, through a complete e-mail sign-in.
 *
 * In a Next.js app the options object below goes to `NextAuth(req, res, options)` in
 * `pages/api/auth/[...nextauth].js`; here `server.ts` plays Next.js.
 */
import { Adapters, createAdapterKit, type AdapterKit, type LegacyAdapter } from "../../src";
import { Browser } from "./browser";
import { serveNextAuthV3 } from "./server";

/** The seed's example database, verbatim: SQLite in memory, tables created on connect. */
const database = { type: "sqlite", database: ":memory:", synchronize: true } as const;

/** Each configuration gives v3 its adapter, and gives us the kit behind it to close at the end. */
const configurations: Record<string, () => { adapter: LegacyAdapter; kit: AdapterKit }> = {
  "createAdapterKit({ database }).legacy": () => {
    const kit = createAdapterKit({ database });
    return { adapter: kit.legacy, kit };
  },
  // Adapters.Default and Adapters.MikroORM.Adapter return the v3 adapter with its kit attached.
  "Adapters.Default(database)": () => {
    const adapter = Adapters.Default(database);
    return { adapter, kit: adapter.kit };
  },
  "Adapters.MikroORM.Adapter(database)": () => {
    const adapter = Adapters.MikroORM.Adapter(database);
    return { adapter, kit: adapter.kit };
  },
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Signs `email` in through v3's e-mail provider; returns the e-mail of the session v3 then reports. */
async function signInByEmail(adapter: LegacyAdapter, email: string): Promise<string | undefined> {
  let magicLink: string | undefined;
  const server = await serveNextAuthV3({
    adapter,
    secret: "nextauth-v3-example-secret",
    session: { jwt: false }, // database sessions: the adapter stores them
    providers: [
      {
        // What v3's Providers.Email({...}) builds, minus nodemailer: we keep the link instead of mailing it.
        id: "email",
        type: "email",
        name: "Email",
        maxAge: 10 * 60,
        sendVerificationRequest: ({ url }: { url: string }) => {
          magicLink = url;
        },
      },
    ],
  });
  try {
    const browser = new Browser(server.origin);
    const { csrfToken } = await browser.json<{ csrfToken: string }>("/api/auth/csrf");
    const asked = await browser.request("/api/auth/signin/email", { email, csrfToken, callbackUrl: `${server.origin}/` });
    check(asked.status === 302 && magicLink, `asking for a link answered ${asked.status}, and no link was sent`);
    await browser.request(magicLink); // opening the link from the "e-mail"
    check(browser.cookie("next-auth.session-token"), "opening the link did not set a session cookie");
    const session = await browser.json<{ user?: { email?: string } }>("/api/auth/session");
    return session.user?.email;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  for (const [label, configure] of Object.entries(configurations)) {
    const { adapter, kit } = configure();
    try {
      const email = await signInByEmail(adapter, "grace@example.com");
      check(email === "grace@example.com", `${label}: the session is not grace's: ${String(email)}`);
      console.log(`${label}: signed in by e-mail through next-auth@3; session user ${email}`);
    } finally {
      await kit.close(); // each configuration opened its own in-memory database
    }
  }
  console.log("Done: the three configurations are equivalent.");
}

main().catch((error: unknown) => {
  console.error(`nextauth-v3 example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
