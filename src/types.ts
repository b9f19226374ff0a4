/**
 * Record shapes shared by every layer. They mirror `@auth/core/adapters` structurally, so
 * `kit.authjs` is assignable to `Adapter` without the kit importing `@auth/core` at run time.
 */

export type ProviderType = "oauth" | "oidc" | "email" | "webauthn" | (string & {});

/** A user as the consumers see it; extra (custom) fields round-trip untouched. */
export interface AdapterUser {
  id: string;
  email: string;
  emailVerified: Date | null;
  name?: string | null;
  image?: string | null;
  [field: string]: unknown;
}

/** A user about to be created; the id is optional (the store generates one). */
export type NewUser = Omit<AdapterUser, "id"> & { id?: string };

export interface AdapterAccount {
  userId: string;
  type: ProviderType;
  provider: string;
  providerAccountId: string;
  refresh_token?: string | null;
  access_token?: string | null;
  expires_at?: number | null;
  token_type?: string | null;
  scope?: string | null;
  id_token?: string | null;
  session_state?: string | null;
  [field: string]: unknown;
}

export interface AdapterSession {
  sessionToken: string;
  userId: string;
  expires: Date;
  /** Only the NextAuth v3 facade fills this (v3 sessions carried an access token). */
  accessToken?: string | null;
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
