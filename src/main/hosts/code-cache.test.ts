import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installCodeCache, type CodeCache } from './code-cache';

let root: string;
let codeDir: string;
let cacheDir: string;
let cache: CodeCache | undefined;
const requireHere = createRequire(import.meta.url);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'code-cache-'));
  codeDir = join(root, 'out', 'main');
  cacheDir = join(root, 'user-data', 'compile-cache');
  mkdirSync(join(codeDir, 'chunks'), { recursive: true });
});

afterEach(() => {
  cache?.uninstall();
  cache = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** Loads a file afresh, as a new process would (Node's module cache forgets it first). */
function load(file: string): unknown {
  delete requireHere.cache[file];
  return requireHere(file);
}

/** A chunk that runs a function while it loads and requires another, as the built host's do. */
function writeChunk(name: string, answer: number): string {
  const file = join(codeDir, 'chunks', name);
  writeFileSync(
    file,
    `"use strict";
const path = require("node:path");
const twice = (n) => n * 2;
exports.answer = twice(${answer / 2});
exports.dir = path.basename(__dirname);
exports.sameFile = __filename === ${JSON.stringify(file)};
exports.resolves = require.resolve("node:path") === "node:path";
`,
  );
  return file;
}

/** A first start: the chunk written, the cache installed, the chunk loaded and its code saved. */
function firstStart(answer: number): { file: string; installed: CodeCache } {
  const file = writeChunk('stack.js', answer);
  const installed = (cache = installCodeCache(cacheDir, codeDir));
  load(file);
  installed.save();
  return { file, installed };
}

describe('installCodeCache', () => {
  it('compiles the app’s own files from the cache after the first start, and they behave the same', () => {
    const file = writeChunk('stack.js', 42);
    cache = installCodeCache(cacheDir, codeDir);
    const first = load(file);
    expect(first).toMatchObject({ answer: 42, dir: 'chunks', sameFile: true, resolves: true });
    expect(existsSync(cacheDir)).toBe(false); // written when the host says the start has run
    cache.save();
    expect(cache.counts).toEqual({ modules: 1, fromCache: 0, written: 1 });
    expect(readdirSync(cacheDir)).toHaveLength(1);

    const again = load(file);
    expect(again).toMatchObject({ answer: 42, dir: 'chunks', sameFile: true, resolves: true });
    cache.save(); // nothing new to write
    expect(cache.counts).toEqual({ modules: 2, fromCache: 1, written: 1 });
  });

  it('never runs a changed file from the old code, even one of the same length', () => {
    const { file, installed } = firstStart(42);
    writeChunk('stack.js', 64); // same length, other text
    expect(load(file)).toMatchObject({ answer: 64 });
    installed.save();
    expect(installed.counts).toEqual({ modules: 2, fromCache: 0, written: 2 });
    expect(load(file)).toMatchObject({ answer: 64 });
    expect(installed.counts.fromCache).toBe(1);
  });

  it('compiles from source when the cache is damaged or cut short, and writes it again', () => {
    const { file, installed } = firstStart(42);
    const [name] = readdirSync(cacheDir);
    const kept = join(cacheDir, name!);
    const whole = readFileSync(kept);
    writeFileSync(kept, whole.subarray(0, whole.length >> 1)); // cut short: its own CRC no longer matches
    expect(load(file)).toMatchObject({ answer: 42 });
    installed.save();
    const flipped = Buffer.from(readFileSync(kept));
    flipped[flipped.length - 10]! ^= 0xff; // one byte of V8's code changed
    writeFileSync(kept, flipped);
    expect(load(file)).toMatchObject({ answer: 42 });
    installed.save();
    expect(installed.counts).toEqual({ modules: 3, fromCache: 0, written: 3 });
    expect(load(file)).toMatchObject({ answer: 42 });
    expect(installed.counts.fromCache).toBe(1);
  });

  it('keeps what the start ran after the file loaded, not only its top level', () => {
    const file = join(codeDir, 'chunks', 'routes.js');
    // A large function body that only runs when called, as a route table's builder does.
    const body = Array.from({ length: 400 }, (_, i) => `  table.push({ path: "/r${i}", n: ${i} * 2 });`).join('\n');
    writeFileSync(file, `"use strict";\nexports.build = () => {\n  const table = [];\n${body}\n  return table.length;\n};\n`);
    cache = installCodeCache(cacheDir, codeDir);
    const saved = (ran: boolean): number => {
      rmSync(cacheDir, { recursive: true, force: true });
      const loaded = load(file) as { build: () => number };
      if (ran) expect(loaded.build()).toBe(400);
      cache!.save();
      return readFileSync(join(cacheDir, readdirSync(cacheDir)[0]!)).length;
    };
    const topLevelOnly = saved(false);
    expect(saved(true)).toBeGreaterThan(topLevelOnly + 2_000);
  });

  it('leaves files outside the app’s folder to Node', () => {
    const outside = join(root, 'node_modules', 'dep', 'index.js');
    mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(outside, 'exports.ok = true;\n');
    cache = installCodeCache(cacheDir, codeDir);
    expect(load(outside)).toEqual({ ok: true });
    expect(cache.counts.modules).toBe(0);
  });

  it('starts without a cache where it cannot write one', () => {
    const file = writeChunk('stack.js', 42);
    writeFileSync(join(root, 'blocked'), 'a file, not a folder');
    cache = installCodeCache(join(root, 'blocked', 'compile-cache'), codeDir);
    expect(load(file)).toMatchObject({ answer: 42 });
    expect(() => cache!.save()).not.toThrow();
    expect(load(file)).toMatchObject({ answer: 42 });
    cache.save();
    expect(cache.counts).toEqual({ modules: 2, fromCache: 0, written: 0 });
  });

  it('puts Node’s own compiling back when uninstalled', () => {
    const file = writeChunk('stack.js', 42);
    cache = installCodeCache(cacheDir, codeDir);
    cache.uninstall();
    expect(load(file)).toMatchObject({ answer: 42 });
    expect(cache.counts.modules).toBe(0);
  });
});
