/** `doctor --config` with a table preset, as the "Coming from ..." sections tell a team to run it. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { runCli, type CliResult } from "../../cli/runCli";
import { createTestDatabase, query } from "../../support/database";
import { createTestMariaDb, mariaQuery } from "../../support/mariadb";

/** better-sqlite3 opened directly (it ships no types). */
const Sqlite: new (file: string) => { exec(sql: string): void; close(): void } = require("better-sqlite3");

/** A table layout: PostgreSQL's as one SQL text, MariaDB's as a list of statements, SQLite's by name. */
export type Layout = string | readonly string[] | { readonly sqlite: readonly string[] };

/** A fresh database with a layout applied. */
async function databaseWith(layout: Layout): Promise<{ url: string; drop(): Promise<void> }> {
  if (typeof layout === "object" && "sqlite" in layout) {
    const dir = mkdtempSync(join(tmpdir(), "kit-preset-sqlite-"));
    const file = join(dir, "auth.sqlite");
    const sqlite = new Sqlite(file);
    try {
      for (const statement of (layout as { sqlite: readonly string[] }).sqlite) sqlite.exec(statement);
    } finally {
      sqlite.close();
    }
    return { url: `sqlite:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (typeof layout === "string") {
    const db = await createTestDatabase();
    await query(db.url, layout);
    return db;
  }
  const db = await createTestMariaDb();
  for (const statement of layout as readonly string[]) await mariaQuery(db.mysqlUrl, statement);
  return { url: db.mysqlUrl, drop: () => db.drop() };
}

/**
 * Lays `layout` out in a fresh database (`databaseWith`), runs doctor with a config module whose `entities` is
 * `preset()` from the kit, and hands `check` its result and the database's URL; removes both after.
 */
export async function doctorWithPreset(layout: Layout, preset: string, check: (doctor: CliResult, url: string) => Promise<void>, options = ""): Promise<void> {
  const db = await databaseWith(layout);
  const dir = mkdtempSync(join(tmpdir(), "kit-preset-doctor-"));
  try {
    const config = join(dir, "auth-kit.config.js");
    const root = relative(dir, join(__dirname, "..", "..", "..")).split("\\").join("/");
    writeFileSync(config, `const { ${preset} } = require(${JSON.stringify(`./${root}/src`)});\nmodule.exports = { database: process.env.DATABASE_URL, entities: ${preset}(${options}) };\n`);
    await check(await runCli(["doctor", "--config", config], { DATABASE_URL: db.url }), db.url);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

/** Doctor found exactly these missing indexes (`table(column)`), and its SQL changes no column or key. */
export function expectOnlyMissingIndexes(doctor: CliResult, indexes: readonly string[]): void {
  expect(doctor.code).toBe(1);
  for (const index of indexes) expect(doctor.stdout).toContain(`index on ${index} is missing`);
  expect(doctor.stdout).toContain(`${indexes.length} problem(s)`);
  expect(doctor.stdout).not.toMatch(/alter column|drop |primary key/i);
}
