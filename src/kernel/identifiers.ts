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

/** The container identifier of one canonical operation (`OPERATIONS[name]` lists them all). */
export function operationId(name: string): symbol {
  return Symbol.for(`nextauth-adapter-kit:operation:${name}`);
}
