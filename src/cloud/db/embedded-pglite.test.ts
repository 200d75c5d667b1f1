import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteAt, snapshotFile } from '../../../test/support/migration-snapshots';
import { migrations } from './migrations/index';
import { BUILTIN_ARRAY_TYPES, openEmbeddedPglite } from './embedded-pglite';
import { pgliteOptions } from './pglite-settings';

/** Opening PGlite (its WASM start) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe('the embedded PGlite’s array types', () => {
  it('are the catalogue’s own: every built-in array type, and the schema adds no type an array could be of', async () => {
    const db = await pgliteAt(migrations.at(-1)!.version);
    try {
      // PGlite's own start query (base.ts, _initArrayTypes).
      const arrays = await db.query<{ oid: number; typarray: number }>(
        `SELECT b.oid, b.typarray FROM pg_catalog.pg_type a LEFT JOIN pg_catalog.pg_type b ON b.oid = a.typelem
          WHERE a.typcategory = 'A' GROUP BY b.oid, b.typarray ORDER BY b.oid`,
      );
      expect(arrays.filter((t) => t.oid < 10_000 && t.typarray < 10_000).map((t) => [t.oid, t.typarray])).toEqual(BUILTIN_ARRAY_TYPES);
      // Everything else is a row type (a catalogue's, a view's, a table's): never read as an array here.
      const others = await db.query<{ typname: string }>(
        `SELECT b.typname FROM pg_catalog.pg_type a JOIN pg_catalog.pg_type b ON b.oid = a.typelem
          WHERE a.typcategory = 'A' AND (b.oid >= 10000 OR b.typarray >= 10000) AND b.typtype <> 'c' AND b.typname NOT IN
            ('cardinal_number', 'character_data', 'sql_identifier', 'time_stamp', 'yes_or_no')`,
      );
      expect(others).toEqual([]);
    } finally {
      await db.close();
    }
  }, SLOW);

  describe('read and written as PGlite’s own start would have them', () => {
    let embedded: PGlite;
    let plain: PGlite;
    beforeAll(async () => {
      const empty = () => readFile(snapshotFile(0)).then((bytes) => new Blob([bytes]));
      [embedded, plain] = await Promise.all([
        empty().then((loadDataDir) => openEmbeddedPglite({ dataDir: 'memory://', loadDataDir, ...pgliteOptions() })),
        empty().then((loadDataDir) => PGlite.create({ dataDir: 'memory://', loadDataDir, ...pgliteOptions() })),
      ]);
      await Promise.all([embedded.exec(`SET TimeZone = 'UTC'`), plain.exec(`SET TimeZone = 'UTC'`)]);
    }, SLOW);
    afterAll(async () => {
      await Promise.all([embedded?.close(), plain?.close()]);
    });

    const both = async (sql: string, params?: unknown[]) => {
      const [a, b] = await Promise.all([embedded.query(sql, params), plain.query(sql, params)]);
      expect(a.rows).toEqual(b.rows);
      return a.rows[0] as Record<string, unknown>;
    };

    it('results: arrays of text, numbers, booleans, JSON, times, ids, with NULLs and nesting', async () => {
      const row = await both(`SELECT ARRAY['a', 'b,c', NULL, '"q"']::text[] AS texts, ARRAY[1, 2]::int4[] AS ints, ARRAY[9007199254740991]::int8[] AS bigs,
        ARRAY[1.5]::numeric[] AS nums, ARRAY[true, false]::bool[] AS flags, ARRAY['{"a":[1]}']::jsonb[] AS docs,
        ARRAY['2026-12-07 10:00:00+00']::timestamptz[] AS times, ARRAY['2026-12-07']::date[] AS days,
        ARRAY['00000000-0000-4000-8000-000000000001']::uuid[] AS ids, ARRAY[ARRAY[1, 2], ARRAY[3, 4]]::int4[] AS grid,
        '{}'::text[] AS none, ARRAY['x']::varchar[] AS names`);
      // PGlite's parsers with the product's (ROW_PARSERS: int8 and timestamps) for the elements.
      expect(row.texts).toEqual(['a', 'b,c', null, '"q"']);
      expect(row.ints).toEqual([1, 2]);
      expect(row.bigs).toEqual([9007199254740991]);
      expect(row.flags).toEqual([true, false]);
      expect(row.docs).toEqual([{ a: [1] }]);
      expect(row.times).toEqual(['2026-12-07T10:00:00.000Z']);
      expect(row.grid).toEqual([[1, 2], [3, 4]]);
      expect(row.none).toEqual([]);
    });

    it('parameters: JavaScript arrays sent as PostgreSQL arrays', async () => {
      const row = await both(`SELECT $1::text[] AS texts, $2::int4[] AS ints, $3::int8[] AS bigs, $4::jsonb[] AS docs, $5::bool[] AS flags,
        array_length($1::text[], 1) AS n, 'b' = ANY($1::text[]) AS has_b`, [['a', 'b', 'with "quote", comma'], [1, 2], [3, 4], [{ a: 1 }], [true, null]]);
      expect(row.texts).toEqual(['a', 'b', 'with "quote", comma']);
      expect(row).toMatchObject({ ints: [1, 2], docs: [{ a: 1 }], flags: [true, null], n: 3, has_b: true });
    });
  });
});
