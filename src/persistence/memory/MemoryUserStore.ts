import { randomUUID } from "node:crypto";
import type { AccountKey, AdapterUser, NewUser } from "../../types";
import type { UserStore } from "../ports";
import { conflict, copy, keyOf, safeFields, type MemoryDatabase } from "./MemoryDatabase";

export class MemoryUserStore implements UserStore {
  constructor(private readonly db: MemoryDatabase) {
    db.holdsUsers = true;
  }

  get colocation() {
    return this.db;
  }

  async create(user: NewUser): Promise<AdapterUser> {
    // No e-mail is stored as null, as the database stores it.
    const row = { name: null, image: null, emailVerified: null, ...safeFields(user), email: user.email ?? null, id: user.id ?? randomUUID() } as AdapterUser;
    if (this.db.users.has(row.id)) throw conflict();
    if (row.email != null && this.emailTaken(row.email)) throw conflict();
    this.db.users.set(row.id, copy(row));
    return copy(row);
  }

  async findById(id: string) {
    return copy(this.db.users.get(id));
  }

  async findByEmail(email: string) {
    for (const user of this.db.users.values()) if (user.email === email) return copy(user);
    return null;
  }

  async findByAccount({ provider, providerAccountId }: AccountKey) {
    const account = this.db.accounts.get(keyOf(provider, providerAccountId));
    return account ? copy(this.db.users.get(account.userId)) : null;
  }

  async update(changes: Partial<AdapterUser> & { id: string }) {
    const current = this.db.users.get(changes.id);
    if (!current) return null;
    const next = { ...current, ...safeFields(changes) } as AdapterUser;
    if (next.email != null && next.email !== current.email && this.emailTaken(next.email)) throw conflict();
    this.db.users.set(next.id, copy(next));
    return copy(next);
  }

  async delete(id: string) {
    const user = this.db.users.get(id);
    this.db.users.delete(id);
    return copy(user);
  }

  private emailTaken(email: string): boolean {
    for (const user of this.db.users.values()) if (user.email === email) return true;
    return false;
  }
}
