import { EntitySchema } from "@mikro-orm/core";
import { ENTITY_NAMES } from "../../src";

/** The app's own entity: a project, owned by a user of the kit's `AuthUser` entity. */
export interface Project {
  id: number;
  name: string;
  owner: string;
}

export const ProjectSchema = new EntitySchema<Project>({
  name: "Project",
  tableName: "projects",
  properties: {
    id: { type: "integer", primary: true, autoincrement: true },
    name: { type: "string" },
    // A foreign key into the kit's users table: possible because both live in one ORM. Deleting the
    // user (kit.authjs.deleteUser) deletes their projects.
    owner: { kind: "m:1", entity: () => ENTITY_NAMES.user, mapToPk: true, deleteRule: "cascade", fieldName: "owner_id" },
  },
});
