/**
 * The kernel's public plugin API: everything a plugin (built-in or a team's own) may depend on.
 * Plugins never import stores, facades or the container.
 */
export { AdapterError, ErrorCode } from "./errors/AdapterError";
export { Plugin, type PluginDeclaration } from "./kernel/decorators";
export { type ArgsOf, type Facade, type OperationContext, type OperationName, type ResultOf } from "./kernel/operations";
export { OPERATION_NAMES } from "./operations/registry";
export { PluginOrder, type AdapterPlugin, type KitEvents, type PluginHealth, type PluginHost } from "./kernel/plugin";
export type { AdapterSession, AdapterUser, SessionAndUser, VerificationToken } from "./types";
/** The code the caller will see for anything thrown inside the onion (for logs and metric labels). */
export { toAdapterError } from "./errors/AdapterError";
export { optionalPeer } from "./kernel/optionalPeer";
/** @internal Marks a built-in plugin's `around` that translates its own failures (see kernel/operations.ts). */
export { TRANSLATES_ERRORS } from "./kernel/operations";
