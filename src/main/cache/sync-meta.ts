import type Database from 'better-sqlite3';
import { z } from 'zod';
import { statement } from './statements';

/**
 * Small named values the sync engine and services keep beside the cursor (e.g. the
 * first pull's search-aside marker), in `sync_state`. The cursor itself is written only by applyPull.
 */
export const syncKeySchema = z
  .string()
  .regex(/^[A-Za-z][\w.-]{0,63}$/)
  .refine((key) => key !== 'cursor', { message: 'the cursor is written only by applyPull' });
export const syncValueSchema = z.union([z.string().max(10_000), z.number(), z.null()]);

export function getSyncMeta(db: Database.Database, key: string): string | number | null {
  const value = statement(db, 'SELECT value FROM sync_state WHERE key = ?').pluck().get(key);
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

export function setSyncMeta(db: Database.Database, key: string, value: string | number | null): void {
  statement(db, 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteSyncMeta(db: Database.Database, key: string): void {
  statement(db, 'DELETE FROM sync_state WHERE key = ?').run(key);
}
