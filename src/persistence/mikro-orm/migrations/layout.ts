import type { EntityKey } from "../entities/createEntities";

/**
 * The tables and columns the shipped migrations create: `createEntities()` with no options.
 * `kit.migrate()` refuses entities that differ. Change it together with a new migration.
 */
export const DEFAULT_LAYOUT: Record<EntityKey, { table: string; columns: readonly string[] }> = {
  user: { table: "users", columns: ["id", "name", "email", "email_verified", "image"] },
  account: {
    table: "accounts",
    columns: ["id", "user_id", "type", "provider", "provider_account_id", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state"],
  },
  session: { table: "sessions", columns: ["id", "session_token", "user_id", "expires", "access_token"] },
  verificationToken: { table: "verification_tokens", columns: ["identifier", "token", "expires"] },
  authenticator: {
    table: "authenticators",
    columns: ["credential_id", "user_id", "provider_account_id", "credential_public_key", "counter", "credential_device_type", "credential_backed_up", "transports"],
  },
};
