/** The row when it has not expired yet, else null: an expired token is never handed out. */
export function unexpired<T extends { expires: Date }>(row: T | null): T | null {
  return row && row.expires.getTime() > Date.now() ? row : null;
}
