import { describe, expect, it } from 'vitest';
import { deleteInBatches } from './delete-in-batches';

/** A database whose DELETEs remove `sizes[i]` rows on the i-th call. */
const fake = (sizes: number[]) => {
  const calls: { sql: string; params: readonly unknown[] | undefined }[] = [];
  return {
    calls,
    db: {
      query: async <R>(sql: string, params?: readonly unknown[]): Promise<R[]> => {
        calls.push({ sql, params });
        return Array.from({ length: sizes[calls.length - 1] ?? 0 }, () => ({ '?column?': 1 }) as R);
      },
    },
  };
};

describe('deleteInBatches', () => {
  it('deletes batch after batch until one comes back short, counting every row', async () => {
    const { db, calls } = fake([3, 3, 1]);
    expect(await deleteInBatches(db, 3, 'DELETE FROM t WHERE id IN (SELECT id FROM t WHERE a = $1 LIMIT 3)', ['x'])).toBe(7);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual({ sql: 'DELETE FROM t WHERE id IN (SELECT id FROM t WHERE a = $1 LIMIT 3) RETURNING 1', params: ['x'] });
  });

  it('a last full batch is followed by one more, empty, look; nothing to delete is one query', async () => {
    const full = fake([3, 0]);
    expect(await deleteInBatches(full.db, 3, 'DELETE …')).toBe(3);
    expect(full.calls).toHaveLength(2);
    const none = fake([0]);
    expect(await deleteInBatches(none.db, 3, 'DELETE …')).toBe(0);
    expect(none.calls).toHaveLength(1);
  });
});
