/** The adapter calls an e-mail sign-in makes, in the order Auth.js makes them. */
import { randomBytes, randomUUID } from "node:crypto";
import type { AdapterUser, AuthjsAdapter } from "../../src";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Stores the link's token, "clicks" the link (uses the token once), finds or creates the user and
 * creates a 30-day session: what Auth.js does with `kit.authjs` between "send me a link" and the
 * session cookie. `profile` adds fields to a new user (e.g. an extra column).
 */
export async function signInByEmail(adapter: AuthjsAdapter, email: string, profile: Record<string, unknown> = {}) {
  const token = randomBytes(32).toString("hex");
  await adapter.createVerificationToken({ identifier: email, token, expires: new Date(Date.now() + 10 * 60_000) });
  // ... the e-mail goes out, the user opens the link ...
  if (!(await adapter.useVerificationToken({ identifier: email, token }))) throw new Error(`the sign-in link for ${email} did not work`);
  const user: AdapterUser =
    (await adapter.getUserByEmail(email)) ?? (await adapter.createUser({ email, emailVerified: new Date(), ...profile } as AdapterUser));
  const session = await adapter.createSession({ sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 30 * DAY_MS) });
  return { user, session };
}
