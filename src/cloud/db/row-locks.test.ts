import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('row locks in cloud SQL', () => {
  it('are FOR NO KEY UPDATE (FOR UPDATE deadlocks with the foreign-key checks of the inbound-call insert; see src/cloud/README.md)', () => {
    // Allowed: a queue claim (SKIP LOCKED) on a table nothing references.
    const offenders = sources(root).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/FOR UPDATE(?! SKIP LOCKED)/g)].map(() => relative(root, file)),
    );
    expect(offenders).toEqual([]);
  });
});
