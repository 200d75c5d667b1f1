import type Database from 'better-sqlite3';
import type { Mutation } from '../../shared/cloud';
import { CacheInputError } from './errors';
import { dispositionById } from './directory';
import { enqueueMutation, type UnsentEntry } from './outbox';
import type { SearchLater } from './overlay';
import { statement } from './statements';
import type { ChoiceTarget, Wrapup } from './types';

/**
 * Wrap-ups waiting for a disposition (`wrapups` table), and the commit that turns one into the
 * call's disposition: the outbox row and the wrap-up's removal in the caller's one transaction.
 */

interface WrapupRow {
  twilio_call_sid: string;
  call_id: string | null;
  ended_at: string;
  location_id: string | null;
  disposition_id: string | null;
  note: string | null;
  state: Wrapup['state'];
  updated_at: number;
}

const toWrapup = (r: WrapupRow): Wrapup => ({
  twilioCallSid: r.twilio_call_sid,
  callId: r.call_id,
  endedAt: r.ended_at,
  locationId: r.location_id,
  dispositionId: r.disposition_id,
  note: r.note,
  state: r.state,
  updatedAt: r.updated_at,
});

export interface WrapupValues {
  twilioCallSid: string;
  callId: string | null;
  endedAt: string;
  locationId: string | null;
  dispositionId: string | null;
  note: string | null;
}

export function upsertWrapup(db: Database.Database, w: WrapupValues, now: number): Wrapup {
  const row = statement(
    db,
    `INSERT INTO wrapups (twilio_call_sid, call_id, ended_at, location_id, disposition_id, note, state, updated_at)
     VALUES (@sid, @callId, @endedAt, @locationId, @dispositionId, @note, @state, @now)
     ON CONFLICT (twilio_call_sid) DO UPDATE SET call_id = coalesce(excluded.call_id, wrapups.call_id),
       ended_at = excluded.ended_at, location_id = coalesce(excluded.location_id, wrapups.location_id),
       disposition_id = excluded.disposition_id, note = excluded.note, state = excluded.state,
       updated_at = excluded.updated_at
     RETURNING *`,
  ).get({
    sid: w.twilioCallSid,
    callId: w.callId,
    endedAt: w.endedAt,
    locationId: w.locationId,
    dispositionId: w.dispositionId,
    note: w.note,
    state: w.dispositionId === null ? 'pending' : 'chosen',
    now,
  }) as WrapupRow;
  return toWrapup(row);
}

/**
 * The receptionist's choice on a waiting wrap-up (a disposition picked or taken back, a note).
 * It sets only the choice's columns, so the commit writes the table's one page: an upsert also
 * rewrites the wrapups_call index entry (SQLite updates an index whenever SET names its column),
 * a second page in the WAL to sync on the keystroke's durable path. Null if no such wrap-up.
 */
export function setWrapupChoice(db: Database.Database, twilioCallSid: string, choice: { dispositionId: string | null; note: string | null }, now: number): Wrapup | null {
  const row = statement(
    db,
    `UPDATE wrapups SET disposition_id = @dispositionId, note = @note, state = @state, updated_at = @now
     WHERE twilio_call_sid = @sid RETURNING *`,
  ).get({
    sid: twilioCallSid,
    dispositionId: choice.dispositionId,
    note: choice.note,
    state: choice.dispositionId === null ? 'pending' : 'chosen',
    now,
  }) as WrapupRow | undefined;
  return row ? toWrapup(row) : null;
}

/**
 * A choice from the choice log (choice-log.ts), at the next open: set as it was chosen, with its
 * time, on a wrap-up not changed since (an older record is skipped). Records are replayed oldest
 * first, so of two choices in the same millisecond the later one is what stays; hence `<=`, not
 * `<` (a kill test makes choices faster than the clock ticks). False if it did not apply.
 */
export const replayWrapupChoice = (db: Database.Database, choice: { sid: string; dispositionId: string | null; note: string | null; at: number }): boolean =>
  statement(
    db,
    `UPDATE wrapups SET disposition_id = @dispositionId, note = @note, state = @state, updated_at = @at
     WHERE twilio_call_sid = @sid AND updated_at <= @at`,
  ).run({ ...choice, state: choice.dispositionId === null ? 'pending' : 'chosen' }).changes > 0;

/** The read's one row, as an array: a row object measured ~4 µs more, cold. */
type ChoiceTargetRow = [locationId: string | null, known: 0 | 1, deleted: 0 | 1];

/**
 * The wrap-up a choice is for and the disposition it picks, checked in one read: the keystroke's
 * checks run before its durable point, and two lookups (the wrap-up, then the disposition) cost the
 * keystroke a second statement and two row objects. Null if no such wrap-up waits.
 */
export function choiceTarget(db: Database.Database, twilioCallSid: string, dispositionId: string): ChoiceTarget | null {
  const row = statement(
    db,
    `SELECT w.location_id, d.id IS NOT NULL AS known, d.deleted_at IS NOT NULL AS deleted
     FROM wrapups w LEFT JOIN dispositions d ON d.id = ? WHERE w.twilio_call_sid = ?`,
  )
    .raw(true)
    .get(dispositionId, twilioCallSid) as ChoiceTargetRow | undefined; // positional: binding by name measured ~5 µs more, cold
  if (!row) return null;
  const [locationId, known, deleted] = row;
  return { locationId, disposition: known === 0 ? 'unknown' : deleted === 1 ? 'deleted' : 'usable' };
}

export function getWrapup(db: Database.Database, twilioCallSid: string): Wrapup | null {
  const row = statement(db, 'SELECT * FROM wrapups WHERE twilio_call_sid = ?').get(twilioCallSid) as WrapupRow | undefined;
  return row ? toWrapup(row) : null;
}

/**
 * Which wrap-ups a list holds: all; `open`, the ones the picker shows; `waitingForCall`, those whose
 * committed choice waits for its call (see markWaitingForCall).
 */
const WRAPUP_LISTS = {
  all: '',
  open: 'WHERE waiting_since IS NULL',
  waitingForCall: 'WHERE waiting_since IS NOT NULL',
} as const;

/** The wrap-ups still waiting (all, or those of `which`), oldest call first. */
export const listWrapups = (db: Database.Database, which: keyof typeof WRAPUP_LISTS = 'all'): Wrapup[] =>
  (statement(db, `SELECT * FROM wrapups ${WRAPUP_LISTS[which]} ORDER BY ended_at, twilio_call_sid`).all() as WrapupRow[]).map(toWrapup);

export const deleteWrapup = (db: Database.Database, twilioCallSid: string): boolean =>
  statement(db, 'DELETE FROM wrapups WHERE twilio_call_sid = ?').run(twilioCallSid).changes > 0;

/**
 * Marks a wrap-up whose choice is committed but whose call has not arrived from the cloud yet: it is
 * done for the receptionist, and the commit runs when the call comes. The commit deletes the row, mark and all.
 */
export const markWaitingForCall = (db: Database.Database, twilioCallSid: string, since: number): boolean =>
  statement(db, 'UPDATE wrapups SET waiting_since = ? WHERE twilio_call_sid = ?').run(since, twilioCallSid).changes > 0;

/**
 * Back to the picker with no choice (the note stays): a wrap-up marked waiting for its call whose
 * choice can never be committed (none, or its disposition deleted since). Its updated_at moves on,
 * so the choice log cannot set the old choice again at the next open. False if no such wrap-up.
 */
export const reopenWrapup = (db: Database.Database, twilioCallSid: string, now: number): boolean =>
  statement(db, `UPDATE wrapups SET waiting_since = NULL, disposition_id = NULL, state = 'pending', updated_at = ? WHERE twilio_call_sid = ?`).run(now, twilioCallSid).changes > 0;

/**
 * Queues the call's disposition and ends its wrap-up (found by the SID given, else the call's own).
 * Refuses a disposition that is unknown or deleted. Runs inside the caller's transaction.
 */
export function commitDisposition(
  db: Database.Database,
  mutation: Extract<Mutation, { type: 'call.setDisposition' }>,
  twilioCallSid: string | undefined,
  now: number,
  searchLater?: SearchLater,
): UnsentEntry {
  const { callId, dispositionId } = mutation.payload;
  if (dispositionId !== null) {
    const disposition = dispositionById(db, dispositionId);
    if (!disposition) throw new CacheInputError(`Unknown disposition ${dispositionId}`);
    if (disposition.deletedAt !== null) throw new CacheInputError(`Disposition "${disposition.label}" was deleted`);
  }
  const entry = enqueueMutation(db, mutation, now, searchLater);
  statement(db, 'DELETE FROM wrapups WHERE call_id = @callId OR twilio_call_sid = coalesce(@sid, (SELECT twilio_call_sid FROM calls WHERE id = @callId))').run({
    callId,
    sid: twilioCallSid ?? null,
  });
  return entry;
}
