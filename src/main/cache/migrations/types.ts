import type Database from 'better-sqlite3';

/**
 * One schema step. `version` steps by 10 (room for a hotfix in between) and equals the number in the
 * file name. `up` runs inside the transaction that runs every pending migration, so it must not
 * change the journal mode or commit by itself. Once released, a migration is never edited.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}
