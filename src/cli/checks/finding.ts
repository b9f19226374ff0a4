/** One thing doctor found: what is wrong, and how to fix it. */
export interface Finding {
  /** Which check: database, schema, migrations, replicas, redis. */
  readonly check: string;
  /** What it is about: a table, `table.column`, an index, a replica, Redis. */
  readonly subject: string;
  readonly problem: string;
  readonly fix: string;
  /** `problem` counts (exit code 1); `note` is worth knowing and breaks nothing. */
  readonly severity: "problem" | "note";
}
