/**
 * Compile-time proof (checked by `tsc --noEmit` in `npm test`) that the kit's facade and records
 * match @auth/core's types.
 */
import type { Adapter, AdapterAccount, AdapterSession, AdapterUser, VerificationToken } from "@auth/core/adapters";
import type * as Kit from "../../src";

export const account: AdapterAccount = null as unknown as Kit.AdapterAccount;
export const user: AdapterUser = null as unknown as Kit.AdapterUser;
export const session: AdapterSession = null as unknown as Kit.AdapterSession;
export const token: VerificationToken = null as unknown as Kit.VerificationToken;
export const adapter: Adapter = null as unknown as Kit.AuthjsAdapter;
