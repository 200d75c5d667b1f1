import type Database from 'better-sqlite3';
import { CacheFromFutureError } from '../errors';
import { migration0010 } from './0010-initial';
import { migration0020 } from './0020-outbox';
import { migration0030 } from './0030-wrapups-and-tasks';
import { migration0040 } from './0040-search';
import { migration0050 } from './0050-outbox-owner';
import { migration0200 } from './0200-reporting';
import { migration0210 } from './0210-tasks';
import { migration0220 } from './0220-agent-calls';
import { migration0230 } from './0230-lean-outbox-indexes';
import { migration0240 } from './0240-wrapup-waits-for-call';
import { migration0250 } from './0250-contact-assignment-overlay';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every migration, oldest first. Add new ones at the end (see README.md). */
export const migrations: readonly Migration[] = [
  migration0010,
  migration0020,
  migration0030,
  migration0040,
  migration0050,
  migration0200,
  migration0210,
  migration0220,
  migration0230,
  migration0240,
  migration0250,
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to `target` (default: the latest) in one transaction: either every pending
 * migration and the new user_version are committed, or none is. A file from a newer app is refused.
 */
export function migrate(db: Database.Database, target: number = LATEST_SCHEMA_VERSION): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > LATEST_SCHEMA_VERSION) throw new CacheFromFutureError(db.name, from, LATEST_SCHEMA_VERSION);
  const pending = migrations.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return { from, to: from };
  const run = db.transaction(() => {
    for (const migration of pending) migration.up(db);
    const to = pending[pending.length - 1]!.version;
    // user_version lives in the file header, which is written by this same transaction.
    db.pragma(`user_version = ${to}`);
    return to;
  });
  return { from, to: run.immediate() };
}
