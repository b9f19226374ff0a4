/** The kit's built-in plugins: `import { hashVerificationTokens } from "nextauth-adapter-kit/plugins"`. */
import "reflect-metadata";
export {
  AccountDecryptionError,
  encryptAccountTokens,
  ENCRYPTION_ORDER,
  type AccountTokenKey,
  type EncryptAccountTokensOptions,
  type EncryptAccountTokensPlugin,
  type RowReencryption,
} from "./encrypt-account-tokens";
export { hashVerificationTokens, legacyTokenHash, type HashVerificationTokensOptions } from "./hash-verification-tokens";
export { logging, type LoggingOptions, type LogLevel, type PinoLike } from "./logging";
export { metrics, type MetricsOptions, type MetricsPlugin, type OtelMeterProvider, type OtelTracerProvider, type PromRegistry } from "./metrics";
export { sessionCache, type SessionCacheOptions, type SessionCachePlugin, type SessionCacheStats } from "./session-cache";
