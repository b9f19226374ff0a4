import type { Family } from "../setup/seed";

export interface NewSession {
  sessionToken: string;
  userId: string;
  expires: Date;
}

export interface NewToken {
  identifier: string;
  token: string;
  expires: Date;
}

export interface NewUser {
  email: string;
  emailVerified: Date | null;
  name: string;
  image: string;
}

export interface NewAccount {
  userId: string;
  type: "oauth";
  provider: string;
  providerAccountId: string;
  access_token: string;
  refresh_token: string;
  expires_at: number;
  token_type: string;
  scope: string;
}

/** The Auth.js adapter methods the workloads call: what every implementation under test offers. */
export interface BenchAdapter {
  getSessionAndUser(sessionToken: string): Promise<unknown>;
  createSession(session: NewSession): Promise<unknown>;
  createVerificationToken(token: NewToken): Promise<unknown>;
  useVerificationToken(params: { identifier: string; token: string }): Promise<unknown>;
  getUserByAccount(key: { provider: string; providerAccountId: string }): Promise<unknown>;
  createUser(user: NewUser): Promise<unknown>;
  linkAccount(account: NewAccount): Promise<unknown>;
}

/** One contender: its adapter, the database layout it reads, and how to shut it down. */
export interface Implementation {
  /** Short name for the table, e.g. "kit full". */
  readonly name: string;
  /** What it is, for the report. */
  readonly description: string;
  readonly family: Family;
  readonly adapter: BenchAdapter;
  /** Extra figures for the report (e.g. cache hit counts), read after the run. */
  notes?(): Record<string, unknown>;
  close(): Promise<void>;
}
