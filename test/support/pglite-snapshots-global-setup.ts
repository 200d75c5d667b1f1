import { buildMigrationSnapshots } from './migration-snapshots';

/**
 * vitest globalSetup of the cloud project: the migration tests' PGlite snapshots, one per schema
 * version (migration-snapshots.ts), made once here instead of migrating from zero in every test.
 * Kept between runs; only missing ones are made.
 */
export default async function setup(): Promise<void> {
  const started = performance.now();
  const made = await buildMigrationSnapshots();
  if (made.length > 0) console.log(`Made ${made.length} PGlite migration snapshots in ${Math.round(performance.now() - started)} ms.`);
}
