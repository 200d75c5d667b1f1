import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../../test/support/temp-cache';
import { openCache } from '../cache';
import { CacheFromFutureError } from '../errors';
import { LATEST_SCHEMA_VERSION, migrate, migrations, schemaVersion } from './index';

describe('migrate', () => {
  const tmp = useTempDir();

  it('numbers migrations by increasing multiples of ten (each feature has its range)', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions.every((v) => v > 0 && v % 10 === 0)).toBe(true);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(LATEST_SCHEMA_VERSION).toBe(versions[versions.length - 1]);
  });

  it('runs every pending migration from an empty file, then nothing the second time', () => {
    const db = new Database(tmp.file);
    expect(migrate(db)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    db.close();
  });

  it('runs pending migrations in one transaction: a failing step leaves the file at its old version', () => {
    const db = new Database(tmp.file);
    migrate(db, 20);
    // Make 0030 fail half way: its second table already exists.
    db.exec('CREATE TABLE tasks (x INTEGER) STRICT');
    expect(() => migrate(db)).toThrow(/tasks already exists/);
    expect(schemaVersion(db)).toBe(20);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'wrapups'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database from the future with a clear error and leaves the file untouched', () => {
    const db = new Database(tmp.file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    db.close();
    let error: unknown;
    try {
      openCache({ file: tmp.file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CacheFromFutureError);
    expect((error as Error).message).toMatch(/newer than this app understands/);
    const after = new Database(tmp.file, { readonly: true });
    expect(schemaVersion(after)).toBe(LATEST_SCHEMA_VERSION + 10);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });

  it('opens in WAL with synchronous=FULL', () => {
    const cache = openCache({ file: tmp.file });
    cache.close();
    const db = new Database(tmp.file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
