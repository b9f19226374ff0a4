import { randomBytes } from "node:crypto";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import type { Pipeline } from "../../kernel/Pipeline";
import type { AdapterAccount, AdapterSession, AdapterUser, VerificationToken } from "../../types";
import type { LegacySettings } from "./appOptions";
import { DeliveryFailure } from "./deliveryFailure";
import { storedEmailToken } from "./emailTokens";
import { sessionRefresh } from "./sessionRefresh";

/** The e-mail provider as v3 passes it to the adapter (the parts the adapter reads). */
export interface LegacyEmailProvider {
  id?: string;
  type?: string;
  maxAge?: number;
  sendVerificationRequest(params: { identifier: string; url: string; token: string; baseUrl: string | undefined; provider: LegacyEmailProvider }): unknown;
}

/** A v3 verification request: v3 types it with an `id`, which is the stored (hashed) token. */
export type LegacyVerificationRequest = VerificationToken & { id: string };

/**
 * A user as v3 sees it: v3 creates users without an e-mail (OAuth providers that give none), so
 * `email` may be null here, as v3's types say.
 */
export type LegacyUser = Omit<AdapterUser, "email"> & { email: string | null };

/**
 * The 16 methods of the NextAuth v3 adapter contract, with v3's positional arguments, typed so that
 * next-auth v3's own `AdapterInstance` accepts them. `linkAccount` and `createVerificationRequest`
 * resolve to the stored row, as v3's adapters did, though v3 types them `Promise<void>`.
 */
export interface LegacyMethods {
  createUser(profile: { name?: string | null; email?: string | null; image?: string | null; emailVerified?: unknown }): Promise<LegacyUser>;
  getUser(id: string | number): Promise<LegacyUser | null>;
  getUserByEmail(email: string | null | undefined): Promise<LegacyUser | null>;
  getUserByProviderAccountId(providerId: string, providerAccountId: string | number): Promise<LegacyUser | null>;
  getUserByCredentials(credentials: Record<string, unknown>): Promise<LegacyUser | null>;
  updateUser(user: Partial<LegacyUser> & { id: string | number }): Promise<LegacyUser>;
  deleteUser(userId: string | number): Promise<void>;
  linkAccount(
    userId: string | number,
    providerId: string,
    providerType: AdapterAccount["type"],
    providerAccountId: string | number,
    refreshToken?: string | null,
    accessToken?: string | null,
    accessTokenExpires?: Date | number | null,
  ): Promise<void>;
  unlinkAccount(userId: string | number, providerId: string, providerAccountId: string | number): Promise<void>;
  createSession(user: { id: string | number }): Promise<AdapterSession>;
  getSession(sessionToken: string): Promise<AdapterSession | null>;
  updateSession(session: AdapterSession, force?: boolean): Promise<AdapterSession | null>;
  deleteSession(sessionToken: string): Promise<void>;
  createVerificationRequest(identifier: string, url: string, token: string, secret: string | undefined, provider: LegacyEmailProvider): Promise<void>;
  getVerificationRequest(identifier: string, token: string, secret: string | undefined, provider?: unknown): Promise<LegacyVerificationRequest | null>;
  deleteVerificationRequest(identifier: string, token: string, secret: string | undefined, provider?: unknown): Promise<void>;
}

const DEFAULT_EMAIL_MAX_AGE_S = 24 * 60 * 60;

/** v3 ids could be numbers (TypeORM integer keys); the canonical operations take strings. */
const idText = (id: unknown) => (typeof id === "number" && Number.isFinite(id) ? String(id) : id) as string;

/** v3 stored access-token expiry as a Date; the canonical account stores seconds since the epoch. */
function expiresAtSeconds(value: unknown): number | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return Math.floor(value.getTime() / 1000);
  if (typeof value === "number" && Number.isFinite(value)) return Math.floor(value);
  return undefined;
}

/** The row, behind v3's `Promise<void>` (see LegacyMethods). */
const resolvesToRow = <T>(row: Promise<T>) => row as unknown as Promise<void>;

function randomToken(): string {
  return randomBytes(32).toString("hex");
}

/** Builds the v3 methods for one set of `appOptions` settings. */
export function legacyMethods(pipeline: Pipeline, settings: LegacySettings): LegacyMethods {
  const run = pipeline.invoke.bind(pipeline);
  // The v3 contract stores e-mail tokens hashed with the secret: the facade hashes, plugins see the hash.
  const emailToken = (operation: string, token: unknown, secret: string | undefined) => storedEmailToken(operation, token, secret ?? settings.secret);

  return {
    createUser: (profile) =>
      run(
        "createUser",
        {
          name: profile?.name ?? null,
          // "" is no address either: null, so that two such users do not conflict.
          email: (profile?.email === "" ? null : (profile?.email ?? null)) as string,
          image: profile?.image ?? null,
          emailVerified: profile?.emailVerified ? new Date() : null,
        },
        "legacy",
      ),
    getUser: (id) => run("getUser", { id: idText(id) }, "legacy"),
    getUserByEmail: async (email) => (email ? run("getUserByEmail", { email }, "legacy") : null),
    getUserByProviderAccountId: (provider, providerAccountId) =>
      run("getUserByAccount", { provider, providerAccountId: idText(providerAccountId) }, "legacy"),
    getUserByCredentials: (credentials) => run("getUserByCredentials", { credentials }, "legacy"),
    // v3 hands back the user it read, `email: null` included; the canonical check accepts null.
    updateUser: (user) => run("updateUser", { ...user, id: idText(user?.id) } as Partial<AdapterUser> & { id: string }, "legacy"),
    deleteUser: async (id) => void (await run("deleteUser", { id: idText(id) }, "legacy")),
    linkAccount: (userId, provider, type, providerAccountId, refreshToken, accessToken, accessTokenExpires) =>
      resolvesToRow(run(
        "linkAccount",
        {
          userId: idText(userId),
          type,
          provider,
          providerAccountId: idText(providerAccountId),
          refresh_token: refreshToken ?? undefined,
          access_token: accessToken ?? undefined,
          expires_at: expiresAtSeconds(accessTokenExpires),
        },
        "legacy",
      )),
    unlinkAccount: async (userId, provider, providerAccountId) => {
      if (typeof userId !== "string" && !(typeof userId === "number" && Number.isFinite(userId))) {
        throw new AdapterError(ErrorCode.INVALID_INPUT, `"userId" must be a string or a number`, { operation: "unlinkAccount" });
      }
      const key = { provider, providerAccountId: idText(providerAccountId) };
      // Only the named user's own account is unlinked; another user's stays linked.
      const account = await run("getAccount", key, "legacy");
      if (!account || account.userId !== idText(userId)) return;
      const removed = await run("unlinkAccount", key, "legacy");
      // The check and the delete are two steps (the canonical unlinkAccount knows no owner): if the
      // account changed hands in between, put back what was removed.
      if (removed && removed.userId !== account.userId) await run("linkAccount", removed, "legacy");
    },
    createSession: (user) =>
      run(
        "createSession",
        {
          sessionToken: randomToken(),
          accessToken: randomToken(),
          userId: idText(user?.id),
          expires: new Date(Date.now() + settings.maxAgeMs),
        },
        "legacy",
      ),
    getSession: async (sessionToken) => (await run("getSessionAndUser", { sessionToken }, "legacy"))?.session ?? null,
    updateSession: async (session, force) => {
      const change = sessionRefresh(session, force === true, settings);
      if (!change) return null;
      const updated = await run("updateSession", change, "legacy");
      // next-auth 3's session route ignores the result and sets the cookie's Expires (and the
      // response's `expires`) from the object it passed in, which v3's adapters extended in place.
      // (Reflect.set: a frozen object is left as it is rather than failing the call.)
      if (updated) Reflect.set(session, "expires", updated.expires);
      return updated;
    },
    deleteSession: async (sessionToken) => void (await run("deleteSession", { sessionToken }, "legacy")),
    createVerificationRequest: (identifier, url, token, secret, provider) => resolvesToRow((async () => {
      const hashed = emailToken("createVerificationToken", token, secret);
      const maxAgeS = typeof provider?.maxAge === "number" ? provider.maxAge : DEFAULT_EMAIL_MAX_AGE_S;
      const stored = await run("createVerificationToken", { identifier, token: hashed, expires: new Date(Date.now() + maxAgeS * 1000) }, "legacy");
      try {
        // The e-mail carries the raw token; only its hash was stored.
        await provider.sendVerificationRequest({ identifier, url, token, baseUrl: settings.baseUrl, provider });
      } catch (cause) {
        // A link nobody received must not stay valid.
        await run("deleteVerificationToken", { identifier, token: hashed }, "legacy").catch(() => undefined);
        throw new AdapterError(ErrorCode.DELIVERY_FAILED, "the e-mail provider failed to send the verification request", {
          operation: "createVerificationToken",
          cause: new DeliveryFailure(cause, { identifier, url, token }),
        });
      }
      return stored;
    })()),
    // v3 checks a link with get and only then deletes it, so two clicks at once could both pass:
    // get claims the row atomically instead, and the delete that follows is a no-op.
    getVerificationRequest: async (identifier, token, secret) => {
      const used = await run("useVerificationToken", { identifier, token: emailToken("useVerificationToken", token, secret) }, "legacy");
      return used && { ...used, id: used.token };
    },
    deleteVerificationRequest: async (identifier, token, secret) =>
      void (await run("deleteVerificationToken", { identifier, token: emailToken("deleteVerificationToken", token, secret) }, "legacy")),
  };
}
