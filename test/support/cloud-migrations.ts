import pino from 'pino';
import type { Database } from '../../src/cloud/db/database';
import { migrate } from '../../src/cloud/db/migrate';
import { migrations } from '../../src/cloud/db/migrations/index';
import { openPostgres } from '../../src/cloud/db/postgres';
import { testPostgresForFile, type TestPostgres } from './postgres';
import { pgliteAt } from './migration-snapshots';

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

/**
 * A database at schema `version` (0: empty) with no rows, made by this build's migrations from an
 * empty one: an in-memory PGlite started from that version's snapshot (migration-snapshots.ts: the
 * same migrations, applied once per run instead of once per test), or a new database in this
 * file's PostgreSQL cluster, migrated here.
 */
export async function databaseAt(backend: Backend, version: number): Promise<Database> {
  if (backend === 'pglite') return pgliteAt(version);
  cluster ??= testPostgresForFile();
  const url = await (await cluster).createDatabase('migration');
  const db = await openPostgres(url, pino({ level: 'silent' }), { poolSize: 2, webhookPoolSize: 1 });
  try {
    if (version > 0) await migrateTo(db, version);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The version before `version` in this build's list (0 before the first). */
export function previousVersion(version: number): number {
  const index = migrations.findIndex((m) => m.version === version);
  if (index === -1) throw new Error(`No migration has version ${version}`);
  return index === 0 ? 0 : migrations[index - 1]!.version;
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
