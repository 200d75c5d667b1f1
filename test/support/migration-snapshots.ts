import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, Row } from '../../src/cloud/db/database';
import { migrate } from '../../src/cloud/db/migrate';
import { migrations } from '../../src/cloud/db/migrations/index';
import { migrationsKey } from '../../src/cloud/db/pglite-schema-template';
import { cachedPgliteTemplate, checkoutPgliteTemplateFile } from '../../src/cloud/db/pglite-template';
import { pgliteOptions } from '../../src/cloud/db/pglite-settings';

/**
 * Migration tests start PGlite at the schema version they need from a snapshot, not from zero.
 * Migrating an empty PGlite to version N costs seconds of WASM work per test, ~46 times a run;
 * instead the cloud project's globalSetup (pglite-snapshots-global-setup.ts) walks this build's
 * migrations once, one version at a time, and keeps the data folder after each (PGlite's
 * dumpDataDir) under node_modules/.cache, named by PGlite's version and the SQL of every
 * migration up to that version: a changed migration is another file, never a stale one. A test
 * whose snapshot is missing (the walk failed there) migrates from zero as before, and fails there.
 */
const projectRoot = resolve(import.meta.dirname, '../..');

function pgliteVersion(): string {
  const manifest = join(projectRoot, 'node_modules/@electric-sql/pglite/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The snapshot of the schema at `version` (after every migration up to it); 0 is PGlite's empty catalogue. */
export function snapshotFile(version: number): string {
  if (version === 0) return checkoutPgliteTemplateFile(projectRoot);
  const upTo = migrations.filter((m) => m.version <= version);
  if (upTo.at(-1)?.version !== version) throw new Error(`No migration has version ${version}`);
  return join(projectRoot, 'node_modules/.cache/aesthetix/migration-snapshots', `pglite-${pgliteVersion()}-v${version}-${migrationsKey(upTo)}.tgz`);
}

async function readSnapshot(version: number): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(snapshotFile(version))]);
  } catch {
    return undefined;
  }
}

/** PGlite in this thread, with the row parsers and session settings of the product's worker (pglite-worker.ts). */
export async function openTestPglite(loadDataDir?: Blob): Promise<Database> {
  return asDatabase(await createPglite(loadDataDir));
}

async function createPglite(loadDataDir?: Blob): Promise<PGlite> {
  const pg = await PGlite.create({
    dataDir: 'memory://',
    ...(loadDataDir ? { loadDataDir } : {}),
    ...pgliteOptions(),
  });
  await pg.exec(`SET TimeZone = 'UTC'`);
  return pg;
}

function asDatabase(pg: PGlite): Database {
  const on = (target: Pick<PGlite | Transaction, 'query' | 'exec'>): Queryable => ({
    query: async <R extends Row = Row>(sql: string, params: readonly unknown[] = []) => (await target.query<R>(sql, [...params])).rows,
    exec: async (sql: string) => void (await target.exec(sql)),
  });
  const listen = async (channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> => pg.listen(channel, onPayload);
  return {
    kind: 'pglite',
    handle: {
      kind: 'pglite',
      pglite: { query: async (sql, params) => pg.query(sql, params), exec: async (sql) => pg.exec(sql), listen },
    },
    ...on(pg),
    transaction: (fn) => pg.transaction((tx) => fn(on(tx))),
    listen,
    close: () => pg.close(),
  };
}

const loaded = new Map<number, Promise<Blob | undefined>>();
/** A PGlite at schema `version`: from its snapshot, or (none kept) from the empty catalogue through every migration up to it. */
export async function pgliteAt(version: number): Promise<Database> {
  let snapshot = loaded.get(version);
  if (!snapshot) loaded.set(version, (snapshot = readSnapshot(version)));
  const kept = await snapshot;
  if (kept) return openTestPglite(kept);
  const db = await openTestPglite(await readSnapshot(0));
  try {
    await migrate(db, migrations.filter((m) => m.version <= version));
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function writeAside(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Written aside and renamed: a reader in another process never sees half a tarball.
  const partial = `${file}.${randomUUID()}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, file);
}

/**
 * Makes every missing snapshot: from the newest one kept, one migration at a time. Stops at a
 * migration that fails (its test then migrates from zero and shows the error). Returns the
 * versions it made.
 */
export async function buildMigrationSnapshots(): Promise<number[]> {
  const present = await Promise.all(migrations.map(async (m) => (await readSnapshot(m.version)) !== undefined));
  const firstMissing = present.indexOf(false);
  if (firstMissing === -1) return [];
  const startVersion = firstMissing === 0 ? 0 : migrations[firstMissing - 1]!.version;
  const start = startVersion === 0 ? await cachedPgliteTemplate(snapshotFile(0)) : await readSnapshot(startVersion);
  const pg = await createPglite(start);
  const db = asDatabase(pg);
  const made: number[] = [];
  try {
    for (const migration of migrations.slice(firstMissing)) {
      try {
        await migrate(db, migrations.filter((m) => m.version <= migration.version));
      } catch (error) {
        console.warn(`Migration snapshots stop before ${migration.version} (${(error as Error).message}); its tests migrate from zero.`);
        break;
      }
      const dump = await pg.dumpDataDir('gzip');
      await writeAside(snapshotFile(migration.version), new Uint8Array(await dump.arrayBuffer()));
      made.push(migration.version);
    }
  } finally {
    await db.close();
  }
  return made;
}
