import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFailureLogFile, writeStartFailureLog } from './start-failure-log';

describe('writeStartFailureLog', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends each failure with its time, stack and causes to a private file under logs/', () => {
    dir = mkdtempSync(join(tmpdir(), 'start-log-'));
    const file = startFailureLogFile(dir);
    expect(file).toBe(join(dir, 'logs', 'startup-errors.log'));
    expect(writeStartFailureLog(file, new Error('outer', { cause: new Error('inner') }), new Date('2026-12-02T08:00:00Z'))).toBe(true);
    expect(writeStartFailureLog(file, 'a string', new Date('2026-12-02T08:01:00Z'))).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^--- 2026-12-02T08:00:00.000Z the softphone could not start\nError: outer\n/);
    expect(text).toMatch(/Caused by:\nError: inner/);
    expect(text).toMatch(/--- 2026-12-02T08:01:00.000Z the softphone could not start\na string\n$/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('reports false, never throws, when the log cannot be written', () => {
    dir = mkdtempSync(join(tmpdir(), 'start-log-'));
    expect(writeStartFailureLog(join(dir, '\0bad', 'x.log'), new Error('x'))).toBe(false);
  });
});
