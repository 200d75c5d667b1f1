import { existsSync, renameSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { mutationSchema } from '../../shared/cloud';
import { openWriteConnection, type OpenConnectionOptions } from './connection';
import { CacheFromFutureError } from './errors';
import type { JournalEntry, OutboxJournal } from './outbox-journal';
import { mutationTarget, refreshTarget } from './overlay';
import { listUnsent } from './outbox';

/** What the receptionist is told after a start that had to rebuild the cache. */
export interface CacheRecovery {
  /** Why: "it was damaged (…)" or "it was empty or missing". */
  reason: string;
  /** Where the damaged file was kept, if there was one. */
  movedTo: string | undefined;
  /** Unsent changes put back into the outbox (from the damaged file and the outbox journal). */
  recoveredChanges: number;
}

class CacheDamagedError extends Error {}

/** SQLite's words for a file that is not (or no longer) a database; anything else (locked, no permission) is not damage. */
function isDamage(error: unknown): boolean {
  if (error instanceof CacheDamagedError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|IOERR_SHORT_READ)/.test(code);
}

/**
 * Opens the cache for writing; a file that cannot be opened or fails `quick_check` is moved aside
 * (kept, with its WAL, for support) and a new one is created, to be filled again by the next pull.
 * Whenever the cache starts empty while the outbox journal holds unsent changes (damaged, truncated
 * to zero bytes, deleted), those changes, and any still readable in the damaged file, go back into
 * the new outbox with their owners.
 */
export function openOrRebuild(
  options: OpenConnectionOptions & { journal: OutboxJournal; now: () => number },
): { db: Database.Database; recovery: CacheRecovery | undefined } {
  const hadData = existsSync(options.file) && statSync(options.file).size > 0;
  let db: Database.Database;
  let damage: { reason: string; movedTo: string; salvaged: JournalEntry[] } | undefined;
  try {
    db = openWriteConnection(options);
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') {
      db.close();
      throw new CacheDamagedError(`integrity check: ${String(check)}`);
    }
  } catch (error) {
    if (error instanceof CacheFromFutureError || !isDamage(error)) throw error;
    const salvaged = salvageOutbox(options.file, options.nativeBinding);
    const movedTo = moveAside(options.file, options.now());
    damage = { reason: (error as Error).message.split('\n')[0]!, movedTo, salvaged };
    db = openWriteConnection(options);
  }

  let recovery: CacheRecovery | undefined;
  const empty = !hadData || damage !== undefined;
  if (empty) {
    const recovered = restoreOutbox(db, [...(damage?.salvaged ?? []), ...options.journal.live()]);
    if (damage || recovered > 0) {
      recovery = {
        reason: damage ? `it was damaged (${damage.reason})` : 'it was empty or missing',
        movedTo: damage?.movedTo,
        recoveredChanges: recovered,
      };
    }
  }
  // The journal now holds exactly what the outbox holds.
  options.journal.rewrite(listUnsent(db).map(toJournalEntry));
  return { db, recovery };
}

export function toJournalEntry(row: ReturnType<typeof listUnsent>[number]): JournalEntry {
  return {
    key: row.idempotencyKey,
    type: row.type,
    payload: row.mutation.payload,
    createdAt: row.createdAt,
    ownerUser: row.ownerUser,
    ownerCloud: row.ownerCloud,
  };
}

/** The outbox rows still readable in a damaged file (none if it cannot be read at all). */
function salvageOutbox(file: string, nativeBinding: string | undefined): JournalEntry[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding });
    const columns = new Set(db.prepare("SELECT name FROM pragma_table_info('outbox')").pluck().all() as string[]);
    const owner = columns.has('owner_user') ? 'owner_user, owner_cloud' : 'NULL AS owner_user, NULL AS owner_cloud';
    const rows = db.prepare(`SELECT idempotency_key, type, payload, created_at, ${owner} FROM outbox ORDER BY seq`).all() as {
      idempotency_key: string;
      type: string;
      payload: string;
      created_at: number;
      owner_user: string | null;
      owner_cloud: string | null;
    }[];
    return rows.flatMap((row) => {
      try {
        return [{ key: row.idempotency_key, type: row.type, payload: JSON.parse(row.payload) as unknown, createdAt: row.created_at, ownerUser: row.owner_user, ownerCloud: row.owner_cloud }];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  } finally {
    db?.close();
  }
}

function moveAside(file: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const target = file.replace(/(\.sqlite)?$/, `.damaged-${stamp}.sqlite`);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  renameSync(file, target);
  return target;
}

/** Puts journal entries back into the outbox (with their owners and local effects); a key already there or an invalid entry is skipped. */
function restoreOutbox(db: Database.Database, entries: readonly JournalEntry[]): number {
  const insert = db.prepare(
    `INSERT INTO outbox (idempotency_key, type, payload, target_id, created_at, next_attempt_at, owner_user, owner_cloud)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  let restored = 0;
  db.transaction(() => {
    for (const entry of entries) {
      const mutation = mutationSchema.safeParse({ type: entry.type, idempotencyKey: entry.key, payload: entry.payload });
      if (!mutation.success) continue;
      const target = mutationTarget(mutation.data);
      const changes = insert.run(entry.key, entry.type, JSON.stringify(mutation.data.payload), target, entry.createdAt, entry.createdAt, entry.ownerUser, entry.ownerCloud).changes;
      if (changes > 0) {
        restored++;
        if (target) refreshTarget(db, target);
      }
    }
  }).immediate();
  return restored;
}
