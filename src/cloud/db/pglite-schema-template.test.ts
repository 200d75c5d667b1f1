import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPgliteTemplate } from '../../../test/support/pglite-template';
import { migrate, schemaVersion } from './migrate';
import { migrations } from './migrations';
import { openPglite } from './pglite';
import { makeSchemaTemplate, migrationsKey } from './pglite-schema-template';

/** PGlite's start is slow on a busy machine; this is not a timing test. */
const SLOW = 180_000;
const latest = Math.max(...migrations.map((m) => m.version));

describe("the embedded default's template: the empty catalogue with this build's schema applied", () => {
  let dir: string;
  let template: Blob;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aesthetix-schema-template-'));
    template = new Blob([await makeSchemaTemplate(await testPgliteTemplate())]);
  }, SLOW);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('opens a new database at the latest schema, with nothing left for migrate to apply, and no practice in it', async () => {
    const db = await openPglite(join(dir, 'new'), { template: async () => template });
    try {
      expect(await schemaVersion(db)).toBe(latest);
      const applied = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migrations`);
      expect(await migrate(db)).toBe(latest);
      expect(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migrations`)).toEqual(applied);
      expect(await db.query(`SELECT id FROM accounts`)).toEqual([]);
      expect(await db.query(`SELECT name FROM server_secrets`)).toEqual([]);
    } finally {
      await db.close();
    }
  }, SLOW);

  it('a template made from older migrations is brought up to date by migrate at start', async () => {
    const older = migrations.slice(0, -1);
    const db = await openPglite(join(dir, 'older'), { template: async () => new Blob([await makeSchemaTemplate(await testPgliteTemplate(), older)]) });
    try {
      expect(await schemaVersion(db)).toBe(Math.max(...older.map((m) => m.version)));
      expect(await migrate(db)).toBe(latest);
      expect(await schemaVersion(db)).toBe(latest);
    } finally {
      await db.close();
    }
  }, SLOW);

  it('is named by its migrations: other SQL is another file', () => {
    expect(migrationsKey()).toBe(migrationsKey([...migrations]));
    expect(migrationsKey(migrations.slice(0, -1))).not.toBe(migrationsKey());
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(migrationsKey(edited)).not.toBe(migrationsKey());
  });
});
