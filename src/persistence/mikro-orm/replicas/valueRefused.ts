/**
 * SQLSTATE class 22 (data exception) or 54 (program limit exceeded): the server refused the
 * caller's value. Such a failure says nothing about the replica or about what committed.
 */
export function valueRefused(sqlState: string | undefined): boolean {
  return sqlState !== undefined && (sqlState.startsWith("22") || sqlState.startsWith("54"));
}
