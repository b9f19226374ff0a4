import type { VerificationToken } from "../../types";
import type { VerificationTokenStore } from "../ports";
import { conflict, copy, deleteExpired, keyOf, type MemoryDatabase } from "./MemoryDatabase";

export class MemoryVerificationTokenStore implements VerificationTokenStore {
  constructor(private readonly db: MemoryDatabase) {}

  async create(token: VerificationToken) {
    const key = keyOf(token.identifier, token.token);
    if (this.db.tokens.has(key)) throw conflict();
    const row = { identifier: token.identifier, token: token.token, expires: token.expires };
    this.db.tokens.set(key, copy(row));
    return copy(row);
  }

  /** Get-and-delete in one synchronous step: atomic on Node's single thread. */
  async consume(identifier: string, token: string) {
    const key = keyOf(identifier, token);
    const row = this.db.tokens.get(key);
    this.db.tokens.delete(key);
    return copy(row);
  }

  async find(identifier: string, token: string) {
    return copy(this.db.tokens.get(keyOf(identifier, token)));
  }

  async deleteExpired(before: Date, limit: number) {
    return deleteExpired(this.db.tokens, before, limit);
  }
}
