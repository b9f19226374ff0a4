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
