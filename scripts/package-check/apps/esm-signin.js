// ESM consumer ("type": "module"): an e-mail sign-in through Auth.js (@auth/core, ESM-only) on the
// kit's embedded default (SQLite in memory), with two of the kit's plugins. Exits 0 when it worked.
import { createAdapterKit, AdapterError } from "nextauth-adapter-kit";
import { hashVerificationTokens, sessionCache } from "nextauth-adapter-kit/plugins";
import { check, signInByEmail } from "./auth-signin.mjs";

const EMAIL = "esm@example.com";
const kit = createAdapterKit({ plugins: [hashVerificationTokens({ pepper: "esm-app-pepper-0123456789abcdef0123456789" }), sessionCache({ ttlMs: 60_000 })] });
try {
  check(typeof AdapterError === "function", "AdapterError is not a named export");
  const session = await signInByEmail(kit.authjs, EMAIL);
  const user = await kit.authjs.getUserByEmail(EMAIL);
  check(user?.emailVerified instanceof Date, "the user's e-mail is not marked verified");
  console.log(`esm: signed in ${session.user.email} through @auth/core on the embedded SQLite default`);
} finally {
  await kit.close();
}
