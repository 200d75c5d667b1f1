import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../../test/support/temp-cache';
import { writePrivateFile } from '../../os/private-file';
import { HOST_PAGE_URL_FILE_LINE, publishHostUrl } from './host-url';

const URL_WITH_SECRET = 'http://127.0.0.1:4123/#bridge=s3cret-s3cret-s3cret';

describe('publishing the browser host URL', () => {
  const tmp = useTempDir('host-url-');

  it('prints only the file path when output is not a terminal (a log, a pipe), and the file is 0600', () => {
    const lines: string[] = [];
    const file = join(tmp.dir, 'browser-host-url');
    publishHostUrl(URL_WITH_SECRET, { interactive: false, file, print: (line) => lines.push(line) });
    expect(lines.join('\n')).not.toContain('s3cret');
    expect(lines).toContain(`${HOST_PAGE_URL_FILE_LINE}${file}`);
    expect(readFileSync(file, 'utf8')).toBe(`${URL_WITH_SECRET}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('prints the URL to an interactive terminal', () => {
    const lines: string[] = [];
    publishHostUrl(URL_WITH_SECRET, { interactive: true, file: join(tmp.dir, 'u'), print: (line) => lines.push(line) });
    expect(lines[0]).toBe(`Open this URL in Chromium: ${URL_WITH_SECRET}`);
  });

  it('replaces an older file that others could read instead of writing into it', () => {
    const file = join(tmp.dir, 'browser-host-url');
    writeFileSync(file, 'old', { mode: 0o644 });
    writePrivateFile(file, 'new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('never writes through a link planted where the file goes', () => {
    const target = join(tmp.dir, 'victim');
    writeFileSync(target, 'untouched', { mode: 0o644 });
    const file = join(tmp.dir, 'browser-host-url');
    symlinkSync(target, file);
    writePrivateFile(file, 'secret');
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
