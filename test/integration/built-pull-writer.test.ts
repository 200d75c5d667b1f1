import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/main/cache';
import { startPullWriter } from '../../src/main/cache/pull-writer-client';
import { asideFileFor } from '../../src/main/cache/search-aside';
import { call, contact, page, seedPage, tempDir } from '../support/cache-fixtures';

/**
 * The app's own threads, as built (`npm test` builds before this tier): the pull writer from
 * out/main/cache-pull-writer.js starts the search builder from the file beside it
 * (out/main/cache-search-builder.js) and adopts the index it built. The unit tests run both from
 * their TypeScript sources; only the bundles say whether the built writer finds the built builder.
 */
const root = resolve(import.meta.dirname, '../..');
const writerFile = join(root, 'out/main/cache-pull-writer.js');
const built = existsSync(writerFile) && existsSync(join(root, 'out/main/cache-search-builder.js'));

describe.skipIf(!built)('the built pull writer and search builder', { timeout: 60_000 }, () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.cleanup();
  });

  it('a first pull of several pages: the built writer adopts the index its built builder made', async () => {
    const dir = tempDir('built-pull-writer-');
    dirs.push(dir);
    const cache = openCache({ file: dir.file });
    const writer = startPullWriter({ file: dir.file, now: Date.now, workerPath: writerFile });
    await writer.ready;
    await writer.write(seedPage(10));
    await writer.write(page({ contacts: [contact('ct_ana', 'Ana Ruiz', '+14155550142', { seq: 11 })] }, 11, true));
    let cursor = 11;
    for (let p = 0; p < 4; p++) {
      const calls = Array.from({ length: 500 }, (_, i) =>
        call(`call_${p}_${i}`, { from: `+1212555${String(p * 500 + i).padStart(4, '0')}`, contactId: i === 0 ? 'ct_ana' : null, seq: 100 + p * 500 + i }),
      );
      cursor += calls.length;
      await writer.write(page({ calls }, cursor, p < 3));
    }
    expect(await writer.close()).toBe('adopted');
    expect(existsSync(asideFileFor(dir.file))).toBe(false);
    expect(cache.search({ query: '2125551999' }).calls.map((item) => item.call.id)).toEqual(['call_3_499']);
    expect(cache.search({ query: 'ana ruiz', limit: 10 }).calls).toHaveLength(4);
    cache.close();
  });
});
