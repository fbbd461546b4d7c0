import { EntityManager } from 'typeorm';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * The next value of a gapless counter: a row per key in `table` (key columns, then `last_value`). The upsert locks the
 * row until the caller's transaction ends, so concurrent issuers take turns and a rolled-back issuance gives its number
 * back: no gaps, no duplicates. Table and column names come from code, never from a request.
 */
export async function nextGaplessValue(manager: EntityManager, table: string, key: Record<string, string | number>): Promise<number> {
  const columns = Object.keys(key);
  if (![table, ...columns].every((name) => IDENTIFIER.test(name))) throw new Error(`Invalid counter table or column in ${table}`);
  const [row] = (await manager.query(
    `INSERT INTO ${table} (${columns.join(', ')}, last_value) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}, 1)
     ON CONFLICT (${columns.join(', ')}) DO UPDATE SET last_value = ${table}.last_value + 1
     RETURNING last_value`,
    Object.values(key),
  )) as { last_value: number }[];
  return Number(row.last_value);
}
