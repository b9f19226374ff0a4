/**
 * Record shapes shared by every layer. They mirror `@auth/core/adapters` structurally, so
 * `kit.authjs` is assignable to `Adapter` without the kit importing `@auth/core` at run time.
 */

export type ProviderType = "oauth" | "oidc" | "email" | "webauthn";

/**
 * A user as the consumers see it. Extra (custom) columns round-trip too; they are not in this type
 * (an index signature would make it unassignable to `@auth/core`'s): widen it in your app,
 * e.g. `AdapterUser & { role: string }`.
 */
export interface AdapterUser {
  id: string;
  /**
   * Typed `string` as `@auth/core` types it; `null` at run time for a user whose OAuth provider
   * gave no e-mail (`@auth/core` creates such a user with `email: undefined`, stored as null).
   */
  email: string;
  emailVerified: Date | null;
  name?: string | null;
  image?: string | null;
}

/** A user about to be created; the id is optional (the store generates one). */
export type NewUser = Omit<AdapterUser, "id"> & { id?: string };

/** What a JSON document can hold; provider token responses carry extra fields of this kind. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A linked provider account. Absent tokens are absent keys (never null), as `@auth/core` types
 * them; other token-response fields (and custom columns) may ride along.
 */
export interface AdapterAccount {
  userId: string;
  type: ProviderType;
  provider: string;
  providerAccountId: string;
  refresh_token?: string;
  access_token?: string;
  /** Seconds since the epoch. */
  expires_at?: number;
  token_type?: Lowercase<string>;
  scope?: string;
  id_token?: string;
  session_state?: string;
  [field: string]: JsonValue | undefined;
}

export interface AdapterSession {
  sessionToken: string;
  userId: string;
  expires: Date;
  /** Only the NextAuth v3 facade fills this (v3 sessions carried an access token). */
  accessToken?: string | null;
}

/**
 * A session as `listSessionsByUserId` reports it: never the token itself (nor, with hashed tokens,
 * the stored hash), only `tokenId`, a digest that names the session in a UI or a log.
 */
export interface ListedSession {
  tokenId: string;
  userId: string;
  expires: Date;
  /** True for the session whose token was passed as `currentSessionToken`. */
  current: boolean;
}

export interface VerificationToken {
  identifier: string;
  token: string;
  expires: Date;
}

export interface AdapterAuthenticator {
  credentialID: string;
  userId: string;
  providerAccountId: string;
  counter: number;
  credentialBackedUp: boolean;
  credentialPublicKey: string;
  transports?: string | null;
  credentialDeviceType: string;
}

export interface SessionAndUser {
  session: AdapterSession;
  user: AdapterUser;
}

/** Identifies a linked provider account. */
export interface AccountKey {
  provider: string;
  providerAccountId: string;
}
