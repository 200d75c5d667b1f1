import pino from 'pino';
import type { Database } from '../../src/cloud/db/database';
import { migrate } from '../../src/cloud/db/migrate';
import { migrations } from '../../src/cloud/db/migrations/index';
import { openPglite } from '../../src/cloud/db/pglite';
import { openPostgres } from '../../src/cloud/db/postgres';
import { testPostgresForFile, type TestPostgres } from './postgres';
import { testPgliteTemplate } from './pglite-template';

/** Test helpers for one migration's test: a fresh database on either backend, migrated to a version. */
export type Backend = 'pglite' | 'postgres';
export const backends: Backend[] = ['pglite', 'postgres'];

let cluster: Promise<TestPostgres> | undefined;
/** This file's PostgreSQL: the run's shared cluster or one of its own (stop it in afterAll: drops what the file made). */
export async function stopCluster(): Promise<void> {
  if (!cluster) return;
  const c = await cluster;
  cluster = undefined;
  await c.stop();
}

/** An empty database: in-memory PGlite, or a new database in this file's PostgreSQL cluster. */
export async function emptyDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') return openPglite('memory://', { template: testPgliteTemplate });
  cluster ??= testPostgresForFile();
  const url = await (await cluster).createDatabase('migration');
  return openPostgres(url, pino({ level: 'silent' }), { poolSize: 2, webhookPoolSize: 1 });
}

/** Applies the migrations up to and including `version` (as the build that shipped it would). */
export const migrateTo = (db: Database, version: number): Promise<number> => migrate(db, migrations.filter((m) => m.version <= version));

export async function tableNames(db: Database): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

export async function columnNames(db: Database, table: string): Promise<string[]> {
  const rows = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/** The SQLSTATE a statement fails with (23505 unique, 23514 check, 23503 foreign key), or null. */
export async function failureCode(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  }
}
