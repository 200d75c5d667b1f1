import type { Database } from './database';
import { migrations as allMigrations, type Migration } from './migrations';

export class FutureSchemaError extends Error {
  constructor(databaseVersion: number, knownVersion: number) {
    super(
      `The database schema is at version ${databaseVersion}, newer than this build knows (${knownVersion}). Refusing to start: upgrade the cloud API.`,
    );
    this.name = 'FutureSchemaError';
  }
}

/**
 * Applies pending migrations in one transaction, serialised across API instances by an advisory
 * lock. Refuses a database whose schema is newer than this build. Returns the resulting version.
 */
export async function migrate(db: Pick<Database, 'transaction'>, migrations: readonly Migration[] = allMigrations): Promise<number> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7411203)`);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const rows = await tx.query<{ version: number }>(`SELECT version FROM schema_migrations`);
    const applied = new Set(rows.map((r) => Number(r.version)));
    const current = Math.max(0, ...applied);
    if (current > latest) throw new FutureSchemaError(current, latest);
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
    return latest;
  });
}

export async function schemaVersion(db: Database): Promise<number> {
  const rows = await db.query<{ version: number | null }>(`SELECT max(version) AS version FROM schema_migrations`);
  return Number(rows[0]?.version ?? 0);
}
