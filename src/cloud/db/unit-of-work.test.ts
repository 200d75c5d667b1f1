import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from './database';
import { write } from './unit-of-work';

/** A database whose transactions fail with the given errors first, then run. */
function flakyDatabase(failures: Error[]): { db: Database; runs: () => number } {
  let runs = 0;
  const q = { query: async () => [] } as unknown as Queryable;
  const db = {
    kind: 'postgres',
    transaction: async <T>(fn: (tx: Queryable) => Promise<T>) => {
      runs += 1;
      const failure = failures.shift();
      const value = await fn(q);
      if (failure) throw failure;
      return value;
    },
  } as unknown as Database;
  return { db, runs: () => runs };
}

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('write', () => {
  it('runs a unit of work again when PostgreSQL aborted it as a deadlock victim', async () => {
    const { db, runs } = flakyDatabase([deadlock()]);
    await expect(write(db, 'acc_1', async () => 'done')).resolves.toBe('done');
    expect(runs()).toBe(2);
  });

  it('gives up after three deadlocks, and never retries any other error', async () => {
    const stuck = flakyDatabase([deadlock(), deadlock(), deadlock()]);
    await expect(write(stuck.db, 'acc_1', async () => 'done')).rejects.toThrow('deadlock detected');
    expect(stuck.runs()).toBe(3);
    const other = flakyDatabase([Object.assign(new Error('duplicate key'), { code: '23505' })]);
    await expect(write(other.db, 'acc_1', async () => 'done')).rejects.toThrow('duplicate key');
    expect(other.runs()).toBe(1);
  });
});
