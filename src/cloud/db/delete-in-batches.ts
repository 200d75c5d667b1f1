import type { Queryable } from './database';

/**
 * Runs a batched DELETE until a batch comes back short, and returns how many rows went. `sql` deletes
 * at most `batchSize` rows (`… WHERE id IN (SELECT id … LIMIT <batchSize>)`), so a large purge never
 * holds long locks; `RETURNING 1` is added here to count them.
 */
export async function deleteInBatches(db: Pick<Queryable, 'query'>, batchSize: number, sql: string, params: readonly unknown[] = []): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await db.query(`${sql} RETURNING 1`, params);
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}
