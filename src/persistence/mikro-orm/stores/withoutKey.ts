/** Drops the surrogate `id` the kit's tables carry: consumers identify accounts and sessions otherwise. */
export function withoutKey<T extends { id?: unknown }>(row: T): Omit<T, "id">;
export function withoutKey<T extends { id?: unknown }>(row: T | null): Omit<T, "id"> | null;
export function withoutKey<T extends { id?: unknown }>(row: T | null): Omit<T, "id"> | null {
  if (!row) return null;
  const { id: _id, ...rest } = row;
  return rest;
}
