import type { MikroORM } from "@mikro-orm/core";
import {
  DatabaseSchema,
  SchemaComparator,
  type AbstractSqlConnection,
  type AbstractSqlPlatform,
  type Column,
  type IndexDef,
  type SchemaDifference,
  type SqlSchemaGenerator,
  type TableDifference,
} from "@mikro-orm/knex";
import { ENTITY_NAMES } from "../../persistence/mikro-orm/entities/createEntities";
import type { Finding } from "./finding";

export interface SchemaCheck {
  findings: Finding[];
  /** MikroORM's safe update SQL for the kit's tables (nothing dropped): what would bring them in line. */
  sql: string;
}

/**
 * Compares the database's tables, columns, indexes and foreign keys with the kit's entities
 * (MikroORM's schema comparator, read only) and says, per difference, what breaks and how to fix it.
 * Only the kit's tables are compared: the app's own tables are none of its business.
 */
export async function schemaFindings(orm: MikroORM, fixTables: string): Promise<SchemaCheck> {
  const platform = orm.em.getPlatform() as AbstractSqlPlatform;
  const generator = orm.getSchemaGenerator() as unknown as SqlSchemaGenerator;
  const kitTables = new Set(Object.values(ENTITY_NAMES).map((name) => orm.getMetadata().find(name)!.tableName));
  const target = generator.getTargetSchema();
  const defaultSchema = platform.getDefaultSchemaName();
  const schemaName = orm.config.get("schema") ?? defaultSchema;
  const connection = orm.em.getConnection() as unknown as AbstractSqlConnection;
  const current = await DatabaseSchema.create(connection, platform, orm.config, schemaName, target.getNamespaces());
  const wildcard = Object.values(orm.getMetadata().getAll()).filter((meta) => meta.schema === "*").map((meta) => meta.tableName);
  current.prune(schemaName, wildcard);
  target.prune(schemaName, wildcard);
  const diff = new SchemaComparator(platform).compare(current, target);

  for (const change of Object.values(diff.changedTables)) ignoreNullDefaults(change);
  // Keyed by qualified name ("public.users"); the tables themselves carry the bare name.
  const newTables = Object.entries(diff.newTables).filter(([, table]) => kitTables.has(table.name));
  const changedTables = Object.entries(diff.changedTables).filter(([, change]) => kitTables.has(change.toTable.name) && changes(change) > 0);
  const findings: Finding[] = [];
  for (const [, table] of newTables) {
    const name = displayName(table, defaultSchema);
    findings.push({ check: "schema", subject: name, severity: "problem", problem: `table "${name}" is missing`, fix: fixTables });
  }
  // SQLite keeps foreign keys inside CREATE TABLE and MikroORM's comparator cannot tell them
  // apart there: only databases with named constraints get foreign-key findings.
  const foreignKeys = platform.getSchemaHelper()?.supportsSchemaConstraints() !== false;
  for (const [, change] of changedTables) findings.push(...tableFindings(change, displayName(change.toTable, defaultSchema), fixTables, foreignKeys));

  const kitOnly: SchemaDifference = {
    ...diff,
    newTables: Object.fromEntries(newTables),
    changedTables: Object.fromEntries(changedTables),
    removedTables: {},
    removedNamespaces: new Set(),
    removedNativeEnums: [],
    orphanedForeignKeys: [],
  };
  const sql = findings.some((f) => f.severity === "problem") ? tidy(await generator.diffToSQL(kitOnly, { safe: true, dropTables: false })) : "";
  return { findings, sql };
}

const NULL_DEFAULT = /^'?null'?$/i;

/**
 * A nullable column's default of NULL is no default at all. MikroORM's MySQL driver reads MariaDB's
 * `COLUMN_DEFAULT` of such a column as the string 'NULL' and calls it a change: not one.
 */
function ignoreNullDefaults(change: TableDifference): void {
  for (const [name, column] of Object.entries(change.changedColumns)) {
    const isNull = (value: string | null | undefined) => value == null || NULL_DEFAULT.test(value);
    if (column.changedProperties.has("default") && column.column.nullable && isNull(column.fromColumn.default) && isNull(column.column.default)) {
      column.changedProperties.delete("default");
    }
    if (column.changedProperties.size === 0) delete change.changedColumns[name];
  }
}

/** How many differences a table still has. */
function changes(change: TableDifference): number {
  const groups = [
    change.addedColumns, change.changedColumns, change.removedColumns, change.renamedColumns,
    change.addedIndexes, change.changedIndexes, change.removedIndexes, change.renamedIndexes,
    change.addedForeignKeys, change.changedForeignKeys, change.removedForeignKeys,
    change.addedChecks, change.changedChecks, change.removedChecks,
  ];
  return groups.reduce((n, group) => n + Object.keys(group).length, 0) + (change.changedComment !== undefined ? 1 : 0);
}

/** The statements only: MikroORM's session settings and blank runs dropped. */
function tidy(sql: string): string {
  return sql
    .split("\n")
    .filter((line) => !/^set (names|session_replication_role|foreign_key_checks)\b/i.test(line.trim()) && !/^pragma foreign_keys/i.test(line.trim()))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A table's name, qualified only when it lives outside the default schema. */
function displayName(table: { name: string; schema?: string }, defaultSchema: string | undefined): string {
  return table.schema && table.schema !== defaultSchema ? `${table.schema}.${table.name}` : table.name;
}

function tableFindings(change: TableDifference, table: string, fixTables: string, foreignKeys: boolean): Finding[] {
  const out: Finding[] = [];
  const add = (subject: string, severity: Finding["severity"], problem: string, fix: string) => out.push({ check: "schema", subject, severity, problem, fix });
  const adjust = "alter the table to match the entities (see the SQL below), or describe it in the entities: createEntities({ tables, properties })";

  for (const column of Object.values(change.addedColumns)) {
    add(`${table}.${column.name}`, "problem", `column ${table}.${column.name} (${column.type}) is missing`, fixTables);
  }
  for (const { column, fromColumn, changedProperties } of Object.values(change.changedColumns)) {
    const what = [...changedProperties].map((p) => describeChange(p, fromColumn, column)).join("; ");
    add(`${table}.${column.name}`, "problem", `column ${table}.${column.name} differs from the entities: ${what}`, adjust);
  }
  for (const [from, column] of Object.entries(change.renamedColumns)) {
    add(`${table}.${from}`, "problem", `column ${table}.${from} looks like the entities' ${column.name} under another name`, `rename it to ${column.name}, or map the property to "${from}" in the entities`);
  }
  for (const column of Object.values(change.removedColumns)) {
    const blocksInserts = column.nullable !== true && column.default == null && !column.autoincrement && !column.generated;
    if (blocksInserts) {
      add(`${table}.${column.name}`, "problem", `column ${table}.${column.name} is NOT NULL without a default and not in the entities: the kit's inserts into ${table} fail`, "give it a default, make it nullable, or add it to the entities (createEntities({ properties }))");
    } else {
      add(`${table}.${column.name}`, "note", `column ${table}.${column.name} is not in the entities: the kit leaves it alone`, "nothing to do, unless the kit should read or write it (createEntities({ properties }))");
    }
  }
  for (const index of Object.values(change.addedIndexes)) {
    add(`${table}(${index.columnNames.join(", ")})`, "problem", `${indexKind(index)} on ${table}(${index.columnNames.join(", ")}) is missing: ${indexRole(index)}`, fixTables);
  }
  for (const index of Object.values(change.changedIndexes)) {
    add(`${table}(${index.columnNames.join(", ")})`, "problem", `${indexKind(index)} "${index.keyName}" on ${table} differs from the entities (columns or uniqueness)`, "drop it and create it as the SQL below does");
  }
  for (const [from, index] of Object.entries(change.renamedIndexes)) {
    add(`${table}(${index.columnNames.join(", ")})`, "note", `${indexKind(index)} on ${table}(${index.columnNames.join(", ")}) is named "${from}", the entities say "${index.keyName}"`, "nothing breaks; rename it to keep future schema diffs quiet");
  }
  for (const index of Object.values(change.removedIndexes)) {
    add(`${table}(${index.columnNames.join(", ")})`, index.unique ? "problem" : "note", `${indexKind(index)} "${index.keyName}" on ${table}(${index.columnNames.join(", ")}) is not in the entities${index.unique ? ": inserts the kit expects to succeed may fail with CONFLICT" : ""}`, index.unique ? "drop it, or declare the same uniqueness in the entities" : "nothing breaks; drop it if nothing else uses it");
  }
  if (!foreignKeys) return out;
  for (const fk of Object.values(change.addedForeignKeys)) {
    add(`${table}(${fk.columnNames.join(", ")})`, "problem", `foreign key ${table}(${fk.columnNames.join(", ")}) -> ${fk.referencedTableName.replace(/^[^.]+\./, "")} is missing: rows may point at users that do not exist, and deleting a user leaves them behind`, fixTables);
  }
  for (const fk of Object.values(change.changedForeignKeys)) {
    add(`${table}(${fk.columnNames.join(", ")})`, "problem", `foreign key "${fk.constraintName}" on ${table} differs from the entities (target or on delete/update rule)`, "drop it and create it as the SQL below does");
  }
  for (const fk of Object.values(change.removedForeignKeys)) {
    add(`${table}(${fk.columnNames.join(", ")})`, "note", `foreign key "${fk.constraintName}" on ${table} is not in the entities`, "nothing breaks unless it refuses the kit's writes");
  }
  return out;
}

function indexKind(index: IndexDef): string {
  return index.primary ? "primary key" : index.unique ? "unique index" : "index";
}

function indexRole(index: IndexDef): string {
  if (index.primary) return "rows cannot be addressed one by one";
  if (index.unique) return "without it two rows may share a key the kit relies on being unique (a token, a linked account)";
  return "lookups on these columns scan the whole table";
}

function describeChange(property: string, from: Column, to: Column): string {
  const show = (column: Column) => {
    switch (property) {
      case "type":
        return column.type;
      case "nullable":
        return column.nullable ? "nullable" : "not null";
      case "default":
        return column.default ?? "no default";
      case "autoincrement":
        return column.autoincrement ? "generated" : "not generated";
      case "length":
      case "precision":
      case "scale":
        return String(column[property] ?? "none");
      default:
        return "different";
    }
  };
  return `${property} is ${show(from)} in the database, ${show(to)} in the entities`;
}
