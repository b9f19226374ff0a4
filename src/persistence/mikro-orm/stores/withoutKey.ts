/** Drops the surrogate `id` the kit's tables carry: consumers identify accounts and sessions otherwise. */
export function withoutKey<T extends { id?: unknown }>(row: T): Omit<T, "id">;
export function withoutKey<T extends { id?: unknown }>(row: T | null): Omit<T, "id"> | null;
export function withoutKey<T extends { id?: unknown }>(row: T | null): Omit<T, "id"> | null {
  if (!row) return null;
  const { id: _id, ...rest } = row;
  return rest;
}

/** An account record as consumers expect it: no surrogate key, and no key for a token it lacks. */
export function compactAccount<T extends { id?: unknown }>(row: T | null): Omit<T, "id"> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  // for-in over a plain record: no [key, value] array per column (Object.entries).
  for (const key in row) {
    const value = (row as Record<string, unknown>)[key];
    if (key !== "id" && value !== null && value !== undefined) out[key] = value;
  }
  return out as Omit<T, "id">;
}
