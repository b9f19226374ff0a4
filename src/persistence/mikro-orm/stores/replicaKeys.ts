/**
 * The users a store result is about, for replica reads and the write fence (see
 * replicas/Replication): reads name the users their answer depends on (null for a miss, which the
 * primary answers), writes the users whose rows they changed.
 */
export function users(...ids: unknown[]): string[] {
  return ids.filter((id) => id !== null && id !== undefined).map(String);
}

/** A read's users, or null when it found nothing. */
export function found<T>(row: T | null, ids: (row: T) => unknown[]): string[] | null {
  return row === null ? null : users(...ids(row));
}

/** Writes that change no row a hot read returns (verification tokens, purges of expired rows). */
export const NO_USERS = (): string[] => [];

/**
 * Lookup keys, as a creation names the keys it makes findable and a miss names the key it asked
 * about (replicas/missBuckets: only a bucket number of each leaves the process). A session's key
 * is its stored token as it is, the form every instance already shares; the other lookups have a
 * prefix of their own. Two keys that share a bucket only send more misses to the primary.
 */
export const lookupKey = {
  userId: (id: string) => `user:${id}`,
  email: (email: string) => `email:${email}`,
  account: (provider: string, providerAccountId: string) => `account:${JSON.stringify([provider, providerAccountId])}`,
  credential: (credentialID: string) => `credential:${credentialID}`,
  authenticatorsOf: (userId: string) => `authenticators:${userId}`,
};
