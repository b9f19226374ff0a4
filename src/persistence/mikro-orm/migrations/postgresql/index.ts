import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261126000000 } from "./Migration20261126000000";
import { Migration20261202000000 } from "./Migration20261202000000";
import { inConnectionSchema } from "./connectionSchema";

/** The shipped migrations for this platform, oldest first. Append new ones (scripts/generate-migrations.ts), each in `inConnectionSchema`. */
export const MIGRATIONS: MigrationObject[] = [
  { name: "Migration20261126000000", class: inConnectionSchema(Migration20261126000000) },
  { name: "Migration20261202000000", class: inConnectionSchema(Migration20261202000000) },
];
