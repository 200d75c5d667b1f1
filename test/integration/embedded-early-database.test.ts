// The browser host opens the embedded database before it knows the run will use it
// (src/main/hosts/browser/main.ts): taken once by the stack, or released (closed) when the run
// chose another cloud, so the folder opens again cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedDatabaseEarly } from '../../src/main/embedded';

describe('the embedded database opened early', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is taken once; released unused, it is closed and the folder opens again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-early-'));
    const dataDir = join(dir, 'embedded');
    const unused = openEmbeddedDatabaseEarly(dataDir);
    await unused.release();
    expect(unused.take()).toBeUndefined();

    const early = openEmbeddedDatabaseEarly(dataDir);
    const db = await early.take()!;
    expect(early.take()).toBeUndefined();
    await early.release(); // taken: the stack owns it, release leaves it open
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
  }, 120_000);
});
