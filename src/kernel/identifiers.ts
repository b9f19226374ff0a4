import type { OperationName } from "./operations";
import { OPERATION_NAMES } from "./operations";

/** Container identifiers. Rebind one of these to replace one piece. */
export const TYPES = {
  UserStore: Symbol.for("nextauth-adapter-kit:UserStore"),
  AccountStore: Symbol.for("nextauth-adapter-kit:AccountStore"),
  SessionStore: Symbol.for("nextauth-adapter-kit:SessionStore"),
  VerificationTokenStore: Symbol.for("nextauth-adapter-kit:VerificationTokenStore"),
  AuthenticatorStore: Symbol.for("nextauth-adapter-kit:AuthenticatorStore"),
  /** Multi-bound: every plugin the pipeline wraps around the operations. */
  Plugin: Symbol.for("nextauth-adapter-kit:Plugin"),
  /** The MikroORM connection owner (only bound when a MikroORM store set is in use). */
  OrmConnection: Symbol.for("nextauth-adapter-kit:OrmConnection"),
  /** The resolved kit options. */
  KitOptions: Symbol.for("nextauth-adapter-kit:KitOptions"),
} as const;

/** One identifier per canonical operation: `OPERATIONS.getUserByEmail`. */
export const OPERATIONS = Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, Symbol.for(`nextauth-adapter-kit:operation:${name}`)]),
) as Record<OperationName, symbol>;
