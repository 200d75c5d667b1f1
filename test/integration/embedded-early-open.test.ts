// The embedded database opened at the very start of the process (early-database.ts, issue #21):
// only an existing database, only when the run looks like the embedded default, handed out once,
// and closed cleanly when the host chooses a remote cloud after all. Real PGlite on a real folder.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/cloud/db/pglite';
import { discardEarlyDatabase, embeddedDataDir, openEmbeddedDatabaseEarly } from '../../src/main/embedded';
import { takeEarlyDatabase } from '../../src/main/embedded/early-database';
import { testPgliteTemplate } from '../support/pglite-template';

let root = '';
let userData = '';
let dataDir = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'embedded-early-'));
  userData = join(root, 'user-data');
  dataDir = embeddedDataDir(userData);
  // An existing embedded database, as the everyday start finds it.
  const db = await openPglite(dataDir, { template: testPgliteTemplate });
  await db.exec('CREATE TABLE marker (note text); INSERT INTO marker VALUES ($$kept$$)');
  await db.close();
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => {
  await discardEarlyDatabase();
  rmSync(join(userData, 'settings.json'), { force: true });
});

describe('the embedded database opened before the host loads', () => {
  it('opens an existing database and hands it out once', async () => {
    openEmbeddedDatabaseEarly(userData, {});
    const early = takeEarlyDatabase(dataDir);
    expect(early).toBeDefined();
    const db = await early!;
    try {
      expect(await db.query('SELECT note FROM marker')).toEqual([{ note: 'kept' }]);
      // A second start (a Retry after a failure) opens its own.
      expect(takeEarlyDatabase(dataDir)).toBeUndefined();
    } finally {
      await db.close();
    }
  }, 60_000);

  it('is not handed out for another folder', async () => {
    openEmbeddedDatabaseEarly(userData, {});
    expect(takeEarlyDatabase(join(root, 'elsewhere'))).toBeUndefined();
    const early = takeEarlyDatabase(dataDir);
    expect(early).toBeDefined();
    await (await early!).close();
  }, 60_000);

  it('opens nothing when the environment names a cloud', () => {
    openEmbeddedDatabaseEarly(userData, { AESTHETIX_CLOUD_URL: 'https://cloud.glowmedspa.example' });
    expect(takeEarlyDatabase(dataDir)).toBeUndefined();
  });

  it('opens nothing when the settings name a cloud, or cannot be read', () => {
    writeFileSync(join(userData, 'settings.json'), JSON.stringify({ version: 2, cloudUrl: 'https://cloud.glowmedspa.example' }));
    openEmbeddedDatabaseEarly(userData, {});
    expect(takeEarlyDatabase(dataDir)).toBeUndefined();
    writeFileSync(join(userData, 'settings.json'), '{"version": 2, "cloudUrl": "https://clo');
    openEmbeddedDatabaseEarly(userData, {});
    expect(takeEarlyDatabase(dataDir)).toBeUndefined();
  });

  it('opens early with settings that name no cloud', async () => {
    writeFileSync(join(userData, 'settings.json'), JSON.stringify({ version: 2, cloudUrl: null, ringtone: 'soft' }));
    openEmbeddedDatabaseEarly(userData, {});
    const early = takeEarlyDatabase(dataDir);
    expect(early).toBeDefined();
    await (await early!).close();
  }, 60_000);

  it('creates nothing on a first run: the host makes the database once it has chosen its cloud', () => {
    const fresh = join(root, 'first-run');
    mkdirSync(fresh);
    openEmbeddedDatabaseEarly(fresh, {});
    expect(takeEarlyDatabase(embeddedDataDir(fresh))).toBeUndefined();
    expect(existsSync(embeddedDataDir(fresh))).toBe(false);
  });

  it('a discarded database is closed cleanly: the folder opens again with its data', async () => {
    openEmbeddedDatabaseEarly(userData, {});
    await discardEarlyDatabase();
    expect(takeEarlyDatabase(dataDir)).toBeUndefined();
    const again = await openPglite(dataDir);
    try {
      expect(await again.query('SELECT note FROM marker')).toEqual([{ note: 'kept' }]);
    } finally {
      await again.close();
    }
  }, 60_000);
});

