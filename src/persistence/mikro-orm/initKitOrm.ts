import { MikroORM, type Options } from "@mikro-orm/core";
import { AdapterError, ErrorCode } from "../../errors/AdapterError";
import { entityList, type KitEntities } from "./entities/createEntities";
import { versionCheckFailure } from "./ormVersions";

/** The ORM the kit opens from MikroORM options: the app's entities and the kit's, no connection yet. */
export async function initKitOrm(options: Options, kitEntities: KitEntities): Promise<MikroORM> {
  const entities = [...((options.entities as unknown[]) ?? []), ...entityList(kitEntities)];
  try {
    return await MikroORM.init({
      ...options,
      entities: entities as never,
      allowGlobalContext: false,
      // Never create a database as a side effect of connecting (MikroORM's default does).
      ensureDatabase: options.ensureDatabase ?? false,
      // No connection at init: MikroORM's check there (`select 1`) would wait out a silent
      // server's connect bound once, and the first call would then wait it out again. The pool
      // connects on the first statement, under the same bounds as every call. (An app that
      // opts into `ensureDatabase` gets MikroORM's connect, which is where that runs.)
      connect: options.connect ?? Boolean(options.ensureDatabase),
      debug: options.debug ?? false,
      discovery: { warnWhenNoEntities: false, ...options.discovery },
    });
  } catch (error) {
    // Two copies or versions of MikroORM: say which, rather than a generic init failure.
    const mismatch = versionCheckFailure(error);
    if (mismatch) throw mismatch;
    // Init opens no connection: what fails here is the configuration (entities, options, a
    // driver), and no caller value is involved, so its words are kept.
    const text = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error);
    throw new AdapterError(ErrorCode.CONFIGURATION, `MikroORM could not be initialised: ${text}`, { cause: error });
  }
}
