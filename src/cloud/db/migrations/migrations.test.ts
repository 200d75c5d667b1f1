import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrations } from './index';

describe('the migration list', () => {
  const files = readdirSync(import.meta.dirname);

  it('numbers versions in steps of 10, strictly increasing, each named after its file', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions.every((v) => v % 10 === 0)).toBe(true);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    for (const m of migrations) {
      expect(files, `${m.version}`).toContain(`${String(m.version).padStart(4, '0')}-${m.name}.ts`);
    }
  });

  it('every migration has its own test (applies on empty and on the previous version with data, both backends)', () => {
    for (const m of migrations) {
      expect(files, `migration ${m.version} needs ${String(m.version).padStart(4, '0')}-${m.name}.test.ts`).toContain(`${String(m.version).padStart(4, '0')}-${m.name}.test.ts`);
    }
  });

  it('lists every migration file', () => {
    const onDisk = files.filter((f) => /^\d{4}-.+(?<!\.test)\.ts$/.test(f));
    expect(onDisk.length).toBe(migrations.length);
  });
});
