import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from './private-file';

describe('writePrivateFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'private-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file with text or bytes, readable by its owner only, durably when asked, leaving no temporary file', () => {
    const file = join(dir, 'f');
    writeFileSync(file, 'old, world-readable', { mode: 0o644 });
    writePrivateFile(file, 'text');
    expect(readFileSync(file, 'utf8')).toBe('text');
    const bytes = Buffer.alloc(300_000, 7);
    writePrivateFile(file, bytes, { durable: true });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('never writes through a link planted where the file goes: the link is replaced, its target untouched', () => {
    const target = join(dir, 'target');
    writeFileSync(target, 'keep');
    symlinkSync(target, join(dir, 'f'));
    writePrivateFile(join(dir, 'f'), 'mine', { durable: true });
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('mine');
  });
});
