/**
 * Bring your own ORM: the app already runs MikroORM with entities of its own; it adds the kit's
 * entities to it (with an extra `role` column on the user) and hands the instance to the kit.
 * The ORM stays the app's: the app creates the schema, and the app closes it.
 *
 * DATABASE_URL picks the database (default: `nak_example_bring_your_own_orm`, created if missing).
 */
import { MikroORM } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { createAdapterKit, createEntities, ENTITY_NAMES, entityList, type AdapterUser } from "../../src";
import { exampleDatabase } from "../shared/postgres";
import { signInByEmail } from "../shared/signInByEmail";
import { ProjectSchema, type Project } from "./Project";

/** The app's user: the kit's user plus the extra column. */
type AppUser = AdapterUser & { role: string };

async function main(): Promise<void> {
  const url = await exampleDatabase("bring-your-own-orm");
  // The kit's five entities, the user one with an extra column; they round-trip like built-in fields.
  const kitEntities = entityList(createEntities({ properties: { user: { role: { type: "string", length: 32, default: "member" } } } }));
  const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: url, entities: [ProjectSchema, ...kitEntities] });
  // The app owns the schema (here synchronised; in production its migrations include the kit's tables).
  await orm.schema.updateSchema();

  const kit = createAdapterKit({ database: orm }); // an initialised MikroORM: the kit uses it as is
  try {
    console.log(`1. One MikroORM, entities: ${Object.keys(orm.getMetadata().getAll()).sort().join(", ")}`);

    // A sign-in that creates the user with a role (e.g. from an invitation), then reads the session back.
    const { user, session } = await signInByEmail(kit.authjs, "margaret@example.com", { role: "admin" });
    const found = await kit.authjs.getSessionAndUser(session.sessionToken);
    console.log(`2. Signed in; getSessionAndUser returns the user with role "${(found?.user as AppUser | undefined)?.role}"`);

    // The app's own code, on the same ORM: a project owned by the signed-in user.
    const em = orm.em.fork();
    em.create(ProjectSchema, { name: "Apollo guidance", owner: user.id });
    await em.flush();
    const owner = await em.findOneOrFail<AppUser>(ENTITY_NAMES.user, { id: user.id });
    const projects = await em.find<Project>(ProjectSchema, { owner: user.id });
    console.log(`3. The app's Project entity: ${JSON.stringify(projects.map((p) => p.name))} owned by ${owner.email} (role ${owner.role})`);

    if ((found?.user as AppUser | undefined)?.role !== "admin" || owner.role !== "admin") throw new Error("role did not round-trip");
    await kit.authjs.deleteUser(user.id); // clean up for the next run: her projects go with her (cascade)
  } finally {
    await kit.close();
  }
  // kit.close() left the app's ORM open: the app still uses it, then closes it itself.
  console.log(`4. After kit.close(), the app's ORM is connected: ${await orm.isConnected()}; projects left: ${await orm.em.fork().count(ProjectSchema)}`);
  await orm.close();
  console.log("Done: the kit ran on the app's MikroORM, which the app closed.");
}

main().catch((error: unknown) => {
  console.error(`bring-your-own-orm example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
