/** The kit's built-in plugins: `import { hashVerificationTokens } from "nextauth-adapter-kit/plugins"`. */
import "reflect-metadata";
export { hashVerificationTokens, legacyTokenHash, type HashVerificationTokensOptions } from "./hash-verification-tokens";
