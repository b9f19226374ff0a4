import type { AdapterAuthenticator } from "../../types";
import type { AuthenticatorStore } from "../ports";
import { conflict, copy, requireUser, safeFields, type MemoryDatabase } from "./MemoryDatabase";

export class MemoryAuthenticatorStore implements AuthenticatorStore {
  constructor(private readonly db: MemoryDatabase) {}

  get colocation() {
    return this.db;
  }

  async create(authenticator: AdapterAuthenticator) {
    if (this.db.authenticators.has(authenticator.credentialID)) throw conflict();
    requireUser(this.db, authenticator.userId);
    const row = { transports: null, ...safeFields(authenticator) } as AdapterAuthenticator;
    this.db.authenticators.set(row.credentialID, copy(row));
    return copy(row);
  }

  async find(credentialID: string) {
    return copy(this.db.authenticators.get(credentialID));
  }

  async listByUserId(userId: string) {
    return [...this.db.authenticators.values()].filter((a) => a.userId === userId).map((a) => copy(a));
  }

  async updateCounter(credentialID: string, counter: number) {
    const row = this.db.authenticators.get(credentialID);
    if (!row) return null;
    row.counter = counter;
    return copy(row);
  }

  async deleteByUserId(userId: string) {
    let count = 0;
    for (const [key, row] of this.db.authenticators) if (row.userId === userId && this.db.authenticators.delete(key)) count++;
    return count;
  }
}
