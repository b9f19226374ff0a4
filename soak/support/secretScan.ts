/** Where campaign 6 looks for secrets: every text column of every table, and every key and value in Redis. */
import type Redis from "ioredis";
import { query } from "./postgres";

/** The values of `secrets` found in any text column of any table of the database at `url`. */
export async function secretsInTables(url: string, secrets: readonly string[]): Promise<{ found: string[]; columns: number }> {
  const columns = await query<{ table_schema: string; table_name: string; column_name: string }>(
    url,
    `select table_schema, table_name, column_name from information_schema.columns
     where table_schema not in ('pg_catalog', 'information_schema') and data_type in ('text', 'character varying', 'character', 'json', 'jsonb')`,
  );
  const found = new Set<string>();
  for (const c of columns) {
    const rows = await query<{ s: string }>(
      url,
      `select s from unnest($1::text[]) as s where exists (select 1 from "${c.table_schema}"."${c.table_name}" t where strpos(t."${c.column_name}"::text, s) > 0)`,
      [secrets],
    );
    for (const r of rows) found.add(r.s);
  }
  return { found: [...found], columns: columns.length };
}

/** The values of `secrets` found in any key, string value, set member or hash field/value under `prefix`. */
export async function secretsInRedis(redis: Redis, prefix: string, secrets: readonly string[]): Promise<{ found: string[]; keys: number }> {
  const texts: string[] = [];
  let cursor = "0";
  let keys = 0;
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    for (const key of batch) {
      keys++;
      texts.push(key);
      const type = await redis.type(key);
      if (type === "string") texts.push((await redis.get(key)) ?? "");
      else if (type === "set") texts.push(...(await redis.smembers(key)));
      else if (type === "hash") texts.push(...Object.entries(await redis.hgetall(key)).flat());
      else if (type === "list") texts.push(...(await redis.lrange(key, 0, -1)));
      else if (type === "zset") texts.push(...(await redis.zrange(key, 0, -1)));
    }
  } while (cursor !== "0");
  const all = texts.join("\n");
  return { found: secrets.filter((s) => all.includes(s)), keys };
}

/** The values of `secrets` found in `text` (e-mail addresses compared without case). */
export function secretsInText(text: string, secrets: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return secrets.filter((s) => (s.includes("@") ? lower.includes(s.toLowerCase()) : text.includes(s)));
}
