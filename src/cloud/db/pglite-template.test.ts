import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPglite } from './pglite';
import { cachedPgliteTemplate, readPgliteTemplate } from './pglite-template';

/** PGlite's start is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe('a new PGlite database started from the empty-folder template', () => {
  let dir: string;
  let template: Blob;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aesthetix-template-'));
    template = await cachedPgliteTemplate(join(dir, 'cache', 'empty.tgz'));
  }, SLOW);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is kept whole in its file and read back', async () => {
    expect(await readdir(join(dir, 'cache'))).toEqual(['empty.tgz']);
    const kept = await readPgliteTemplate(join(dir, 'cache', 'empty.tgz'));
    expect(kept?.size).toBe(template.size);
    expect(await readPgliteTemplate(join(dir, 'cache', 'missing.tgz'))).toBeUndefined();
  });

  it('gives a working database on disk, and reopening it keeps the data (the template is not loaded over it)', async () => {
    const dataDir = join(dir, 'db');
    const load = vi.fn(async () => template);
    const db = await openPglite(dataDir, { template: load });
    await db.exec(`CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)`);
    await db.close();
    const again = await openPglite(dataDir, { template: load });
    try {
      expect(await again.query(`SELECT n FROM kept`)).toEqual([{ n: 7 }]);
      expect(load).toHaveBeenCalledTimes(1);
    } finally {
      await again.close();
    }
  }, SLOW);

  it('falls back to initdb when the template is damaged', async () => {
    const damaged = join(dir, 'damaged.tgz');
    await writeFile(damaged, 'not a tarball');
    const db = await openPglite(join(dir, 'fallback'), { template: () => readPgliteTemplate(damaged) });
    try {
      expect(await db.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  }, SLOW);
});
