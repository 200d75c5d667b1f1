import type Database from 'better-sqlite3';
import { statement } from './statements';
import { choiceTarget } from './wrapups';
import type { ChoiceTarget } from './types';

/** The SQL function the triggers below call; registered on the cache's read-write connection only. */
const TOUCHED = 'axc_pick_target_touched';

/**
 * The rows a choice is checked against (choiceTarget's read: the wrap-up's location and the
 * disposition's state), mirrored in memory so the keystroke reaches its durable point without a
 * SQLite read. That read was ~25 µs cold of the ~70 µs before the choice log's sync; measured
 * interleaved on one machine, without it the keystroke's p99 went from 1.26–1.35 × the disk's fsync
 * p99 to 1.10–1.23 (issue #21's aim: 1.3).
 *
 * Exact by construction, not by every writer remembering to tell it:
 * - TEMP triggers on this connection report every row inserted, deleted, or whose checked columns
 *   changed, whatever code wrote it. The touched rows are read again once the transaction has ended,
 *   committed or rolled back (`settle`, which CacheWrites.commit, the one path this connection
 *   writes through, calls; a pick settles first too): the mirror only ever holds what a read outside
 *   a transaction returned.
 * - Another connection writing the same rows (the pull writer thread, pull-writer-client.ts) is
 *   invisible to the triggers: while one may write (`otherWriterStarted` … `otherWriterEnded`), the
 *   mirror is not used and the pick reads as before; at its end everything is read again. The other
 *   connections (search builder, search aside) write only the search index.
 */
export class PickTargets {
  /** Wrap-up call SID → its location; a SID absent here has no wrap-up. */
  private locations = new Map<string, string | null>();
  /** Disposition id → deleted; an id absent here is unknown. */
  private dispositions = new Map<string, boolean>();
  private readonly touchedWrapups = new Set<string>();
  private dispositionsTouched = false;
  private otherWriters = 0;
  /** False until loaded, and after a read of it failed (e.g. an I/O error): picks then read, as without a mirror. */
  private trusted = false;

  constructor(private readonly db: Database.Database) {
    try {
      this.watch();
      this.reload();
    } catch {
      // The pick reads instead (choiceTarget): slower, the same answers.
    }
  }

  private watch(): void {
    const db = this.db;
    db.function(TOUCHED, { deterministic: false }, (table: unknown, key: unknown) => {
      if (table === 'wrapups' && typeof key === 'string') this.touchedWrapups.add(key);
      else this.dispositionsTouched = true;
      return null;
    });
    // TEMP: they live and die with this connection, never in the cache file (other connections and older builds never see them).
    db.exec(`
      CREATE TEMP TRIGGER pick_target_wrapup_added AFTER INSERT ON main.wrapups BEGIN SELECT ${TOUCHED}('wrapups', NEW.twilio_call_sid); END;
      CREATE TEMP TRIGGER pick_target_wrapup_moved AFTER UPDATE OF twilio_call_sid, location_id ON main.wrapups BEGIN
        SELECT ${TOUCHED}('wrapups', OLD.twilio_call_sid); SELECT ${TOUCHED}('wrapups', NEW.twilio_call_sid); END;
      CREATE TEMP TRIGGER pick_target_wrapup_gone AFTER DELETE ON main.wrapups BEGIN SELECT ${TOUCHED}('wrapups', OLD.twilio_call_sid); END;
      CREATE TEMP TRIGGER pick_target_disposition_added AFTER INSERT ON main.dispositions BEGIN SELECT ${TOUCHED}('dispositions', NULL); END;
      CREATE TEMP TRIGGER pick_target_disposition_changed AFTER UPDATE OF id, deleted_at ON main.dispositions BEGIN SELECT ${TOUCHED}('dispositions', NULL); END;
      CREATE TEMP TRIGGER pick_target_disposition_gone AFTER DELETE ON main.dispositions BEGIN SELECT ${TOUCHED}('dispositions', NULL); END;
    `);
  }

  /** What choiceTarget reads for this pick (null: no such wrap-up waits); read from the cache itself while another connection may be writing. */
  target(twilioCallSid: string, dispositionId: string): ChoiceTarget | null {
    // Rows touched by a write that did not come through CacheWrites (none does today) are read first.
    this.settle();
    if (!this.trusted || this.otherWriters > 0 || this.pending) return choiceTarget(this.db, twilioCallSid, dispositionId);
    const locationId = this.locations.get(twilioCallSid);
    if (locationId === undefined) return null;
    const deleted = this.dispositions.get(dispositionId);
    return { locationId, disposition: deleted === undefined ? 'unknown' : deleted ? 'deleted' : 'usable' };
  }

  /**
   * After a transaction on this connection ended, committed or rolled back (CacheWrites.commit): the
   * rows it touched are read again, so the mirror holds what they hold now. Nothing while a
   * transaction is open: what it wrote may still roll back.
   */
  settle(): void {
    if (!this.pending || this.db.inTransaction) return;
    try {
      if (this.dispositionsTouched) this.reloadDispositions();
      const read = statement(this.db, 'SELECT location_id FROM wrapups WHERE twilio_call_sid = ?').pluck();
      for (const sid of this.touchedWrapups) {
        const row = read.get(sid) as string | null | undefined;
        if (row === undefined) this.locations.delete(sid);
        else this.locations.set(sid, row);
      }
    } catch {
      this.trusted = false; // the commit stands; the mirror may not: picks read until the next full reload
    }
    this.touchedWrapups.clear();
    this.dispositionsTouched = false;
  }

  private get pending(): boolean {
    return this.dispositionsTouched || this.touchedWrapups.size > 0;
  }

  /** Another connection may write wrap-ups or dispositions from now on (a pull writer thread started). */
  otherWriterStarted(): void {
    this.otherWriters++;
  }

  /** That connection is done (closed or ended): its commits are all visible here now, so everything is read again. */
  otherWriterEnded(): void {
    this.otherWriters = Math.max(0, this.otherWriters - 1);
    if (this.otherWriters > 0 || !this.db.open) return;
    try {
      this.reload();
    } catch {
      this.trusted = false;
    }
  }

  private reload(): void {
    this.trusted = false;
    const rows = statement(this.db, 'SELECT twilio_call_sid, location_id FROM wrapups').raw(true).all() as [string, string | null][];
    this.locations = new Map(rows);
    this.touchedWrapups.clear();
    this.reloadDispositions();
    this.trusted = true;
  }

  private reloadDispositions(): void {
    const rows = statement(this.db, 'SELECT id, deleted_at IS NOT NULL FROM dispositions').raw(true).all() as [string, 0 | 1][];
    this.dispositions = new Map(rows.map(([id, deleted]) => [id, deleted === 1]));
    this.dispositionsTouched = false;
  }
}

