import { inject, injectable, type ServiceIdentifier } from "inversify";
import type { OperationName } from "./operations";

const OPERATION_KEY = Symbol.for("nextauth-adapter-kit:meta:operation");
const PLUGIN_KEY = Symbol.for("nextauth-adapter-kit:meta:plugin");

export interface PluginDeclaration {
  /** Defaults to the class name. */
  name?: string;
  order?: number;
  operations?: readonly OperationName[] | "*";
}

type Class = abstract new (...args: never[]) => unknown;

export interface OperationDeclaration {
  /**
   * What the constructor receives, in order (e.g. `[TYPES.UserStore]`). For TC39 decorators (no
   * `experimentalDecorators`), which have no parameter decorators, so no `@inject`.
   */
  inject?: readonly ServiceIdentifier[];
}

/**
 * Declares a class as the implementation of one canonical operation and makes it injectable.
 * `kit.override(MyClass)` then knows which operation it replaces (and refuses a name that is not
 * one, with CONFIGURATION).
 */
export function Operation(name: OperationName, declaration: OperationDeclaration = {}) {
  return <T extends Class>(target: T): T => {
    Reflect.defineMetadata(OPERATION_KEY, name, target);
    injectable()(target);
    // What a parameter decorator `@inject(id)` on argument i would record, done without one.
    declaration.inject?.forEach((id, index) => inject(id)(target, undefined, index));
    return target;
  };
}

/**
 * Declares a class with an `around(ctx, next)` method as a plugin, with the operations it wraps and
 * its order. `kit.use` checks the declaration (an unknown operation name is a CONFIGURATION error).
 */
export function Plugin(declaration: PluginDeclaration = {}) {
  return <T extends Class>(target: T): T => {
    Reflect.defineMetadata(PLUGIN_KEY, { name: target.name, ...declaration }, target);
    injectable()(target);
    return target;
  };
}

export function declaredOperation(target: object): OperationName | undefined {
  return Reflect.getMetadata(OPERATION_KEY, target) as OperationName | undefined;
}

export function declaredPlugin(target: object): PluginDeclaration | undefined {
  return Reflect.getMetadata(PLUGIN_KEY, target) as PluginDeclaration | undefined;
}
