import type { Container } from "inversify";
import { TYPES } from "../kernel/identifiers";
import { createMemoryStores } from "../persistence/memory";
import { MikroOrmAccountStore } from "../persistence/mikro-orm/stores/MikroOrmAccountStore";
import { MikroOrmAuthenticatorStore } from "../persistence/mikro-orm/stores/MikroOrmAuthenticatorStore";
import { MikroOrmSessionStore } from "../persistence/mikro-orm/stores/MikroOrmSessionStore";
import { MikroOrmUserStore } from "../persistence/mikro-orm/stores/MikroOrmUserStore";
import { MikroOrmVerificationTokenStore } from "../persistence/mikro-orm/stores/MikroOrmVerificationTokenStore";
import type { AccountStore, AuthenticatorStore, SessionStore, UserStore, VerificationTokenStore } from "../persistence/ports";

/** The five store ports by the name users pass to `kit.bindStore` or `stores: {...}`. */
export interface StoreSet {
  users: UserStore;
  accounts: AccountStore;
  sessions: SessionStore;
  verificationTokens: VerificationTokenStore;
  authenticators: AuthenticatorStore;
}

export type StoreName = keyof StoreSet;

export const STORE_IDS: Record<StoreName, symbol> = {
  users: TYPES.UserStore,
  accounts: TYPES.AccountStore,
  sessions: TYPES.SessionStore,
  verificationTokens: TYPES.VerificationTokenStore,
  authenticators: TYPES.AuthenticatorStore,
};

const MIKRO_ORM_STORES: Record<StoreName, new (...args: never[]) => unknown> = {
  users: MikroOrmUserStore,
  accounts: MikroOrmAccountStore,
  sessions: MikroOrmSessionStore,
  verificationTokens: MikroOrmVerificationTokenStore,
  authenticators: MikroOrmAuthenticatorStore,
};

/** A store given as an instance, or as an injectable class the container builds. */
export type StoreBinding<S> = S | (new (...args: never[]) => S);

export function bindStore(container: Container, name: StoreName, store: StoreBinding<unknown>, rebind: boolean): void {
  const syntax = rebind && container.isBound(STORE_IDS[name]) ? container.rebindSync(STORE_IDS[name]) : container.bind(STORE_IDS[name]);
  if (typeof store === "function") syntax.to(store as new () => unknown).inSingletonScope();
  else syntax.toConstantValue(store);
}

/** Binds the default store set: MikroORM (the default) or in-memory. */
export function bindDefaultStores(container: Container, kind: "mikro-orm" | "memory"): void {
  const memory = kind === "memory" ? createMemoryStores() : undefined;
  for (const name of Object.keys(STORE_IDS) as StoreName[]) {
    bindStore(container, name, memory ? memory[name] : MIKRO_ORM_STORES[name], false);
  }
}
