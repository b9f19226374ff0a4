import type { MigrateOptions } from "../../persistence/mikro-orm/Migrations";
import { appliedMigrations, shippedMigrations, splitMigrations } from "../../health/migrationStatus";
import { translateError } from "../../persistence/mikro-orm/translateError";
import { expectPositionals, shownArgument } from "../args";
import { CliError, EXIT } from "../CliError";
import type { Command } from "../command";
import type { CommandContext } from "../context";

const ACTIONS = ["up", "down", "status"] as const;

/** `migrate up|down|status`: the kit's shipped migrations, as `kit.migrate()` runs them. */
export const migrate: Command = {
  name: "migrate",
  summary: "apply (up), revert the last (down, needs --yes) or list (status) the kit's migrations",
  help: `<up|down|status> [--yes]

  up        apply the pending migrations (the default tables; needs @mikro-orm/migrations)
  down      revert the most recent migration: it drops tables and their rows, so it needs --yes
  status    list applied and pending migrations; exit code 1 when some are pending

  --yes, --confirm   confirm that "down" may drop tables`,
  options: { yes: { type: "boolean", short: "y" }, confirm: { type: "boolean" } },
  async run(context) {
    expectPositionals(context.args, 1);
    const action = context.args.positionals[0];
    if (action === undefined) throw new CliError("say which: migrate up, migrate down or migrate status", true);
    if (!(ACTIONS as readonly string[]).includes(action)) throw new CliError(`unknown action ${shownArgument(action)}: use up, down or status`, true);
    if (action === "status") return status(context);
    try {
      return await (action === "up" ? up(context) : down(context));
    } catch (error) {
      throw migrationFailure(error) ?? error;
    }
  },
};

/**
 * A migration that failed (umzug's MigrationError): its name and direction, and the database's
 * refusal classified by code (the driver's own message quotes the SQL).
 */
function migrationFailure(error: unknown): CliError | undefined {
  const migration = (error as { name?: unknown; migration?: { name?: unknown; direction?: unknown } }).migration;
  if ((error as Error)?.name !== "MigrationError" || !migration) return undefined;
  const cause = translateError((error as { cause?: unknown }).cause ?? error);
  return new CliError(`migration ${String(migration.name)} (${String(migration.direction)}) failed and was rolled back: ${cause.message} [${cause.code}]`);
}

async function up(context: CommandContext): Promise<number> {
  await context.connection();
  const applied = await (await context.kit()).migrate();
  context.out.document({ ok: true, action: "up", applied });
  context.out.line(applied.length > 0 ? `applied ${applied.length}: ${applied.join(", ")}` : "nothing to apply: the kit's migrations are up to date");
  return EXIT.OK;
}

async function down(context: CommandContext): Promise<number> {
  const confirmed = context.args.values.yes === true || context.args.values.confirm === true;
  if (!confirmed) {
    throw new CliError("migrate down reverts the last kit migration, which drops the kit's tables and every row in them: add --yes if you mean it", true);
  }
  // `confirmDrop` is kit.migrate()'s own confirmation; the CLI asked for it above.
  await context.connection();
  const options: MigrateOptions & { confirmDrop?: boolean } = { down: true, confirmDrop: true };
  const reverted = await (await context.kit()).migrate(options);
  context.out.document({ ok: true, action: "down", reverted });
  context.out.line(reverted.length > 0 ? `reverted: ${reverted.join(", ")}` : "nothing to revert: no kit migration is applied");
  return EXIT.OK;
}

async function status(context: CommandContext): Promise<number> {
  const connection = await context.connection();
  const orm = await connection.get();
  const shipped = shippedMigrations(orm);
  const { applied, pending } = splitMigrations(shipped, await connection.read(({ dialect }) => appliedMigrations(dialect)));
  context.out.document({ ok: pending.length === 0, applied, pending });
  for (const name of applied) context.out.line(`applied  ${name}`);
  for (const name of pending) context.out.line(`pending  ${name}`);
  context.out.line(pending.length > 0 ? `${pending.length} pending: run \`nextauth-adapter-kit migrate up\`` : "up to date");
  return pending.length > 0 ? EXIT.PROBLEMS : EXIT.OK;
}
