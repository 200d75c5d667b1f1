import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../test/support/temp-cache';
import { writePrivateFile } from './private-file';

describe('writePrivateFile', () => {
  const tmp = useTempDir('private-file-');

  it('replaces the file with text or bytes, readable by its owner only, durably when asked, leaving no temporary file', () => {
    const file = join(tmp.dir, 'f');
    writeFileSync(file, 'old, world-readable', { mode: 0o644 });
    writePrivateFile(file, 'text');
    expect(readFileSync(file, 'utf8')).toBe('text');
    const bytes = Buffer.alloc(300_000, 7);
    writePrivateFile(file, bytes, { durable: true });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp.dir)).toEqual(['f']);
  });

  it('never writes through a link planted where the file goes: the link is replaced, its target untouched', () => {
    const target = join(tmp.dir, 'target');
    writeFileSync(target, 'keep');
    symlinkSync(target, join(tmp.dir, 'f'));
    writePrivateFile(join(tmp.dir, 'f'), 'mine', { durable: true });
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(readFileSync(join(tmp.dir, 'f'), 'utf8')).toBe('mine');
  });
});
