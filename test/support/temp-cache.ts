import { afterEach, beforeEach } from 'vitest';
import { openCache, type CallCache } from '../../src/main/cache/cache';
import { tempDir } from './cache-fixtures';

export interface TempCache {
  /** The open cache (a new one after `reopen()`). */
  readonly cache: CallCache;
  readonly file: string;
  readonly dir: string;
  /** Closes the cache and opens the same file again: what the next start of the app sees. */
  reopen(): CallCache;
}

/**
 * The cache test fixture: before each test a fresh cache file is opened (with `now` as its clock
 * when given); after it the cache is closed and the folder deleted. Seed it in the test's own beforeEach.
 */
export function useTempCache(options: { prefix?: string; now?: () => number } = {}): TempCache {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let cache: CallCache | undefined;
  const open = () => openCache({ file: tmp!.file, ...(options.now ? { now: options.now } : {}) });
  beforeEach(() => {
    tmp = tempDir(options.prefix);
    cache = open();
  });
  afterEach(() => {
    cache?.close();
    tmp?.cleanup();
  });
  return {
    get cache() {
      return cache!;
    },
    get file() {
      return tmp!.file;
    },
    get dir() {
      return tmp!.dir;
    },
    reopen() {
      cache!.close();
      cache = open();
      return cache;
    },
  };
}

/** A fresh folder (and a cache file name in it) before each test, deleted after it: for tests that open the file themselves. */
export function useTempDir(prefix?: string): { readonly file: string; readonly dir: string } {
  let tmp: ReturnType<typeof tempDir> | undefined;
  beforeEach(() => {
    tmp = tempDir(prefix);
  });
  afterEach(() => tmp?.cleanup());
  return {
    get file() {
      return tmp!.file;
    },
    get dir() {
      return tmp!.dir;
    },
  };
}
