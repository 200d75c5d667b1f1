import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrations } from './index';

describe('the migration list', () => {
  const files = readdirSync(import.meta.dirname);

  it('steps versions by 10 in order, each named after its file', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => (i + 1) * 10));
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
