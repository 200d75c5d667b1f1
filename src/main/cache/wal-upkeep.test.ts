import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { call, page, seedPage, tempDir } from '../../../test/support/cache-fixtures';
import { journalFileFor, openCache } from './cache';
import { openOutboxJournal } from './outbox-journal';
import { CHECKPOINT_EVERY_WRITES, WalUpkeep } from './wal-upkeep';

const turn = () => new Promise((resolve) => setImmediate(resolve));
const walFrames = (db: Database.Database) => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;

/** A cache at `file` holding the seed page and `count` calls `<prefix>0`, `<prefix>1`, …, after the pull's upkeep turn. */
async function seededCache(file: string, prefix: string, count: number) {
  const cache = openCache({ file });
  cache.applyPull(seedPage(10));
  cache.applyPull(page({ calls: Array.from({ length: count }, (_, i) => call(`${prefix}${i}`)) }, 11));
  await turn();
  return cache;
}

describe('outbox writes: one sync on the path, WAL upkeep after it', () => {
  it('a disposition is in the cache for another process and in the journal when it returns; the WAL is checkpointed and restarted on the next turn', async () => {
    const tmp = tempDir('wal-upkeep-');
    try {
      const cache = await seededCache(tmp.file, 'c', 40);
      for (let i = 0; i < CHECKPOINT_EVERY_WRITES; i++) {
        cache.calls.setDispositionLocally({ callId: `c${i}`, dispositionId: 'dsp_booked', idempotencyKey: `upkeep-key-${i}` });
      }
      // Returned: committed (another connection sees it) and written to the journal.
      const other = new Database(tmp.file, { readonly: true });
      expect(other.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(CHECKPOINT_EVERY_WRITES);
      other.close();
      expect(readFileSync(journalFileFor(tmp.file), 'utf8')).toContain('upkeep-key-31');
      await turn();
      // The upkeep ran: checkpointed, and the WAL restarted with its one-frame write.
      const probe = new Database(tmp.file);
      expect(walFrames(probe)).toBeLessThanOrEqual(1);
      probe.close();
      cache.close();
      expect(openOutboxJournal(journalFileFor(tmp.file)).live()).toHaveLength(CHECKPOINT_EVERY_WRITES);
    } finally {
      tmp.cleanup();
    }
  });

  it("a note's search re-index after a disposition weighs as one write: the WAL is not checkpointed after every note change", async () => {
    const tmp = tempDir('wal-upkeep-');
    try {
      const cache = await seededCache(tmp.file, 'n', 8);
      await turn();
      // A checkpoint copies the WAL's pages into the database file: without one, the file stays as it was.
      const before = readFileSync(tmp.file);
      for (let i = 0; i < 4; i++) {
        cache.calls.setDispositionLocally({ callId: `n${i}`, dispositionId: 'dsp_booked', note: `note ${i}`, idempotencyKey: `note-key-${i}` });
        await turn(); // the re-index
        await turn(); // where a checkpoint it asked for would run
      }
      expect(readFileSync(tmp.file).equals(before)).toBe(true);
      expect(cache.search({ query: 'note 3' }).calls.map((c) => c.call.id)).toContain('n3');
      cache.close();
    } finally {
      tmp.cleanup();
    }
  });

  it('waits for a batch of writes, and leaves a WAL alone while a transaction is open', () => {
    const tmp = tempDir('wal-upkeep-');
    const db = new Database(tmp.file);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x INTEGER)');
      const upkeep = new WalUpkeep(db);
      db.exec('INSERT INTO t VALUES (1)');
      db.exec('BEGIN');
      upkeep.run();
      db.exec('COMMIT');
      expect(walFrames(db)).toBeGreaterThan(1);
      upkeep.run();
      db.exec('INSERT INTO t VALUES (2)');
      // Restarted before this insert: the WAL holds the restart frame and the insert, not the history.
      expect(walFrames(db)).toBeLessThanOrEqual(3);
      upkeep.dispose();
    } finally {
      db.close();
      tmp.cleanup();
    }
  });

  it('the journal line is written at once and its background sync can be awaited', async () => {
    const tmp = tempDir('wal-upkeep-');
    try {
      const journal = openOutboxJournal(`${tmp.dir}/j.outbox.jsonl`);
      const entry = { key: 'journal-key-1', type: 'call.setNote', payload: { callId: 'c1', note: 'n' }, createdAt: 1, ownerUser: null, ownerCloud: null };
      journal.add(entry);
      expect(journal.live()).toEqual([entry]);
      journal.add({ ...entry, key: 'journal-key-2' });
      await journal.flushed();
      expect(journal.live().map((e) => e.key)).toEqual(['journal-key-1', 'journal-key-2']);
    } finally {
      tmp.cleanup();
    }
  });
});
