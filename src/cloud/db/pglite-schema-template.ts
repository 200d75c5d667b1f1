import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Row } from './database';
import { migrate } from './migrate';
import { migrations as allMigrations, type Migration } from './migrations';

/**
 * The embedded default's new database starts from PGlite's empty catalogue with this build's schema
 * already applied: a first start (every E2E test starts one) skips the migrations as well as initdb,
 * seconds of WASM work. Only our tables and the static rows migrations insert (the price list) are
 * in it; a practice's data, server secrets and the demo seed are made on the user's machine.
 * `migrate` still runs at every start: it finds this build's versions applied, and applies the rest
 * if the template came from other migrations.
 */
export async function makeSchemaTemplate(empty: Blob | undefined, migrations: readonly Migration[] = allMigrations): Promise<Uint8Array<ArrayBuffer>> {
  const db = await PGlite.create({ dataDir: 'memory://', ...(empty ? { loadDataDir: empty } : {}) });
  try {
    await migrate(migrationTarget(db), migrations);
    const dump = await db.dumpDataDir('gzip');
    return new Uint8Array(await dump.arrayBuffer());
  } finally {
    await db.close();
  }
}

/** A short name for one list of migrations: a template made from other SQL is another file, never reused. */
export function migrationsKey(migrations: readonly Migration[] = allMigrations): string {
  const hash = createHash('sha256');
  for (const m of migrations) hash.update(`${m.version}\0${m.name}\0${m.sql}\0`);
  return hash.digest('hex').slice(0, 16);
}

/** Where a checkout keeps it between builds: it depends on the installed PGlite and the migrations. */
export function checkoutSchemaTemplateFile(projectRoot: string): string {
  const manifest = join(projectRoot, 'node_modules/@electric-sql/pglite/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return join(projectRoot, 'node_modules/.cache/aesthetix', `pglite-${version}-schema-${migrationsKey()}.tgz`);
}

/** What `migrate` needs, on a PGlite used directly (the build, not the worker the app uses). */
function migrationTarget(db: PGlite): Pick<Database, 'transaction'> {
  return {
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async <R extends Row = Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<R>(sql, [...params])).rows,
          exec: async (sql: string) => void (await tx.exec(sql)),
        }),
      ),
  };
}
