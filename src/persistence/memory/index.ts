import { MemoryAccountStore } from "./MemoryAccountStore";
import { MemoryAuthenticatorStore } from "./MemoryAuthenticatorStore";
import { MemoryDatabase } from "./MemoryDatabase";
import { MemorySessionStore } from "./MemorySessionStore";
import { MemoryUserStore } from "./MemoryUserStore";
import { MemoryVerificationTokenStore } from "./MemoryVerificationTokenStore";

/** A complete in-memory store set sharing one MemoryDatabase: for tests, examples and benchmarks. */
export function createMemoryStores(db = new MemoryDatabase()) {
  return {
    users: new MemoryUserStore(db),
    accounts: new MemoryAccountStore(db),
    sessions: new MemorySessionStore(db),
    verificationTokens: new MemoryVerificationTokenStore(db),
    authenticators: new MemoryAuthenticatorStore(db),
  };
}

export { MemoryAccountStore, MemoryAuthenticatorStore, MemoryDatabase, MemorySessionStore, MemoryUserStore, MemoryVerificationTokenStore };
