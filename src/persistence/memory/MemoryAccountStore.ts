import type { AccountKey, AdapterAccount } from "../../types";
import type { AccountStore } from "../ports";
import { conflict, copy, requireUser, keyOf, safeFields, type MemoryDatabase } from "./MemoryDatabase";

export class MemoryAccountStore implements AccountStore {
  constructor(private readonly db: MemoryDatabase) {}

  get colocation() {
    return this.db;
  }

  async create(account: AdapterAccount) {
    const key = keyOf(account.provider, account.providerAccountId);
    if (this.db.accounts.has(key)) throw conflict();
    requireUser(this.db, account.userId);
    const row = Object.fromEntries(Object.entries(safeFields(account)).filter(([, v]) => v !== null)) as unknown as AdapterAccount;
    this.db.accounts.set(key, copy(row));
    return copy(row);
  }

  async find({ provider, providerAccountId }: AccountKey) {
    return copy(this.db.accounts.get(keyOf(provider, providerAccountId)));
  }

  async delete({ provider, providerAccountId }: AccountKey) {
    const key = keyOf(provider, providerAccountId);
    const row = this.db.accounts.get(key);
    this.db.accounts.delete(key);
    return copy(row);
  }

  async deleteByUserId(userId: string) {
    let count = 0;
    for (const [key, row] of this.db.accounts) if (row.userId === userId && this.db.accounts.delete(key)) count++;
    return count;
  }
}
