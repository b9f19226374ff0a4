import type { Migration } from "@mikro-orm/migrations";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript requires any[] of a mixin base
type MigrationClass = new (...args: any[]) => Migration;

/**
 * The shipped migrations name their tables without a schema. With a connection schema
 * (`?schema=auth`, or the `schema` option) the kit reads and writes `auth.users`, so the
 * migration runs with that schema as its search_path, for its own transaction only (`set local`;
 * PostgreSQL migrations run in one). The platform's default, `public`, changes nothing.
 */
export function inConnectionSchema<T extends MigrationClass>(Base: T): T {
  return class extends Base {
    override async up(): Promise<void> {
      this.useConnectionSchema();
      await Base.prototype.up.call(this);
    }

    override async down(): Promise<void> {
      this.useConnectionSchema();
      await Base.prototype.down.call(this);
    }

    private useConnectionSchema(): void {
      const schema = this.config.get("schema");
      if (schema && schema !== this.driver.getPlatform().getDefaultSchemaName()) this.addSql(`set local search_path to "${schema.replace(/"/g, '""')}"`);
    }
  };
}
