import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { openPglite } from './pglite';
import { PGLITE_SETTINGS } from './pglite-settings';

/** Counts event-loop turns (setImmediate) until `work` settles. */
async function turnsWhile(work: Promise<unknown>): Promise<number> {
  let settled = false;
  void work.finally(() => (settled = true)).catch(() => undefined);
  let turns = 0;
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    turns += 1;
  }
  return turns;
}

describe('embedded PGlite on its own thread', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite('memory://');
  }, 120_000);
  afterAll(() => db.close());

  it('keeps this thread turning while the database works (issue #13 item 9: a webhook is read while PGlite is busy)', { timeout: 120_000 }, async () => {
    // In this thread, PGlite's WASM ran a statement as one synchronous block: zero turns until it was done.
    const turns = await turnsWhile(db.query('SELECT count(*) FROM generate_series(1, 300000)'));
    expect(turns).toBeGreaterThan(3);
  });

  it('keeps the drivers’ behaviour: types, errors with their fields, transactions, LISTEN', { timeout: 60_000 }, async () => {
    expect(await db.query('SELECT 9007199254740991::int8 AS n, $1::jsonb AS j', ['{"a":1}'])).toEqual([{ n: 9007199254740991, j: { a: 1 } }]);
    // Started with pglite-settings.ts's small shared memory: PGlite zeroes all of it at each start.
    const settings = await db.query<{ name: string; value: string }>(`SELECT name, current_setting(name) AS value FROM unnest($1::text[]) AS name`, [Object.keys(PGLITE_SETTINGS)]);
    expect(Object.fromEntries(settings.map((row) => [row.name, row.value]))).toEqual(PGLITE_SETTINGS);
    const [shown] = await db.query<{ shared_memory_size: string }>('SHOW shared_memory_size');
    expect(shown?.shared_memory_size).toMatch(/^\d+MB$/);
    expect(Number.parseInt(shown!.shared_memory_size, 10)).toBeLessThanOrEqual(16); // PGlite's defaults: 145MB
    await db.exec('CREATE TABLE t (id int PRIMARY KEY)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (1)');
    });
    await expect(db.query('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ code: '23505', constraint: 't_pkey' });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (2)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }]);
    const heard: string[] = [];
    const stop = await db.listen('events', (payload) => heard.push(payload));
    await db.query(`SELECT pg_notify('events', 'hello')`);
    await expect.poll(() => heard, { timeout: 10_000 }).toEqual(['hello']);
    await stop();
    // pg-boss reaches the same instance through the handle; RETURNING rows of a multi-statement block are kept.
    if (db.handle.kind !== 'pglite') throw new Error('expected the embedded handle');
    const results = await db.handle.pglite.exec('BEGIN; INSERT INTO t VALUES (3) RETURNING id; COMMIT');
    expect(results.flatMap((r) => r.rows)).toEqual([{ id: 3 }]);
  });
});
