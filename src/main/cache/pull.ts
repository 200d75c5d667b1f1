import type Database from 'better-sqlite3';
import { pullResponseSchema } from '../../shared/cloud';
import type { Account, Call, Contact, Disposition, Location, Notification, PhoneNumber, PullResponse, Team, User } from '../../shared/cloud';
import { CacheInputError } from './errors';
import { foldCall, foldContactAssignee, foldNotificationReadAt, pendingTargets } from './overlay';
import { directCallIndex, indexContact, reindexCallsOfContact, unindexContact, type CallIndexTarget } from './search-index';
import { callSortKeyBase } from './search-text';
import { statement } from './statements';
import { upsertTask } from './tasks';

/**
 * Applying one pull page. Validation happens before the transaction; the writes and the new cursor
 * happen in it. A row older than the stored one (lower seq) is skipped, so a late or replayed page
 * cannot roll data back.
 */

export function parsePullResponse(input: unknown): PullResponse {
  const parsed = pullResponseSchema.safeParse(input);
  if (!parsed.success) throw CacheInputError.fromZod('pull response', parsed.error);
  return checkPullDates(parsed.data);
}

/**
 * The checks pullResponseSchema cannot express (dates the cache orders by). A page the cloud client
 * already parsed with pullResponseSchema needs only these: parsing 100,000 calls twice cost ~1 s.
 */
export function checkPullDates(page: PullResponse): PullResponse {
  const badDate = (what: string, value: string): never => {
    throw new CacheInputError('Invalid pull response', [`${what}: ${JSON.stringify(value)} is not an ISO-8601 date`]);
  };
  page.changes.calls.forEach((call, i) => {
    if (Number.isNaN(Date.parse(call.startedAt))) badDate(`changes.calls.${i}.startedAt`, call.startedAt);
  });
  page.changes.notifications.forEach((n, i) => {
    if (Number.isNaN(Date.parse(n.createdAt))) badDate(`changes.notifications.${i}.createdAt`, n.createdAt);
  });
  return page;
}

export const CURSOR_KEY = 'cursor';
/** During a bulk pull: checkpoint every ~40 MB of WAL (SQLite's default is 1,000 pages, ~4 MB). */
export const BULK_CHECKPOINT_PAGES = 10_000;
/** The page cache during a bulk pull, in KiB (negative = KiB; connection.ts's everyday size is 32 MB). */
export const BULK_CACHE_SIZE = -128_000;

export function readCursor(db: Database.Database): number {
  const value = statement(db, 'SELECT value FROM sync_state WHERE key = ?').pluck().get(CURSOR_KEY);
  return typeof value === 'number' ? value : 0;
}

/** Contact names by id as the calls of a pull read them (null: no such contact); see writePullPage. */
export type ContactNames = Map<string, string | null>;

/**
 * Writes a validated page; must run inside a transaction. Returns the number of rows changed.
 * `contactNames` may be kept across the pages of one pull (the pull writer does): the page's
 * contacts update it, so it always holds what the database holds — unless the page's transaction
 * rolls back, after which the caller must clear it. The calls' search index changes go to
 * `callIndex` (this database's calls_fts unless the pull writer builds it aside).
 */
export function writePullPage(
  db: Database.Database,
  page: PullResponse,
  now: number,
  contactNames: ContactNames = new Map(),
  callIndex: CallIndexTarget = directCallIndex(db),
): number {
  const current = readCursor(db);
  if (page.cursor < current) {
    throw new CacheInputError(`Pull cursor went backwards (${page.cursor} < ${current}); refusing a stale page`);
  }
  const pending = pendingTargets(db);
  const { changes } = page;
  // Contact names are written before the calls, so one lookup per contact serves the whole page.
  let applied = 0;
  for (const row of changes.accounts) applied += upsertAccount(db, row);
  for (const row of changes.locations) applied += upsertLocation(db, row);
  for (const row of changes.teams) applied += upsertTeam(db, row);
  for (const row of changes.users) applied += upsertUser(db, row);
  for (const row of changes.dispositions) applied += upsertDisposition(db, row);
  for (const row of changes.phoneNumbers) applied += upsertPhoneNumber(db, row);
  for (const row of changes.contacts) applied += upsertContact(db, row, contactNames, callIndex, pending);
  for (const row of changes.calls) applied += upsertCall(db, row, pending, contactNames, callIndex);
  for (const row of changes.notifications) applied += upsertNotification(db, row, pending);
  for (const row of changes.tasks) applied += upsertTask(db, row, pending);
  const write = statement(db, 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  write.run(CURSOR_KEY, page.cursor);
  write.run('lastPullAt', new Date(now).toISOString());
  return applied;
}

const json = (value: unknown): string => JSON.stringify(value);

function upsertAccount(db: Database.Database, a: Account): number {
  return statement(
    db,
    `INSERT INTO accounts (id, name, timezone, seq) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, seq = excluded.seq WHERE excluded.seq >= accounts.seq`,
  ).run(a.id, a.name, a.timezone, a.seq).changes;
}

/** Soft-deleted rows of these entities are removed; nothing else refers to them. */
function deleteIfNotNewer(db: Database.Database, table: string, id: string, seq: number): number {
  return statement(db, `DELETE FROM ${table} WHERE id = ? AND seq <= ?`).run(id, seq).changes;
}

function upsertLocation(db: Database.Database, l: Location): number {
  if (l.deletedAt !== null) return deleteIfNotNewer(db, 'locations', l.id, l.seq);
  return statement(
    db,
    `INSERT INTO locations (id, account_id, name, timezone, seq) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, timezone = excluded.timezone,
       seq = excluded.seq WHERE excluded.seq >= locations.seq`,
  ).run(l.id, l.accountId, l.name, l.timezone, l.seq).changes;
}

function upsertTeam(db: Database.Database, t: Team): number {
  if (t.deletedAt !== null) return deleteIfNotNewer(db, 'teams', t.id, t.seq);
  return statement(
    db,
    `INSERT INTO teams (id, account_id, name, member_ids, lead_user_id, seq) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, member_ids = excluded.member_ids,
       lead_user_id = excluded.lead_user_id, seq = excluded.seq WHERE excluded.seq >= teams.seq`,
  ).run(t.id, t.accountId, t.name, json(t.memberIds), t.leadUserId, t.seq).changes;
}

/** Users are kept when deleted (deleted_at set) so history can still say who took a call. */
function upsertUser(db: Database.Database, u: User): number {
  return statement(
    db,
    `INSERT INTO users (id, account_id, email, name, role, phone, location_ids, team_ids, inbound_number_id, twilio_identity, seq, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, email = excluded.email, name = excluded.name,
       role = excluded.role, phone = excluded.phone, location_ids = excluded.location_ids, team_ids = excluded.team_ids,
       inbound_number_id = excluded.inbound_number_id, twilio_identity = excluded.twilio_identity, seq = excluded.seq,
       deleted_at = excluded.deleted_at
     WHERE excluded.seq >= users.seq`,
  ).run(
    u.id,
    u.accountId,
    u.email,
    u.name,
    u.role,
    u.phone,
    json(u.locationIds),
    json(u.teamIds),
    u.inboundNumberId,
    u.twilioIdentity,
    u.seq,
    u.deletedAt,
  ).changes;
}

/** Dispositions are kept when deleted: a deleted disposition still labels the calls that used it. */
function upsertDisposition(db: Database.Database, d: Disposition): number {
  return statement(
    db,
    `INSERT INTO dispositions (id, account_id, label, position, seq, deleted_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, label = excluded.label, position = excluded.position,
       seq = excluded.seq, deleted_at = excluded.deleted_at WHERE excluded.seq >= dispositions.seq`,
  ).run(d.id, d.accountId, d.label, d.position, d.seq, d.deletedAt).changes;
}

function upsertPhoneNumber(db: Database.Database, p: PhoneNumber): number {
  if (p.deletedAt !== null) return deleteIfNotNewer(db, 'phone_numbers', p.id, p.seq);
  return statement(
    db,
    `INSERT INTO phone_numbers (id, account_id, location_id, number, name, forwarding_number, caller_id_mode, call_connect,
       whisper_message, record_calls, ring_timeout_seconds, inbound_routing, assigned_user_id, ring_all_user_ids, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, location_id = excluded.location_id,
       number = excluded.number, name = excluded.name, forwarding_number = excluded.forwarding_number,
       caller_id_mode = excluded.caller_id_mode, call_connect = excluded.call_connect,
       whisper_message = excluded.whisper_message, record_calls = excluded.record_calls,
       ring_timeout_seconds = excluded.ring_timeout_seconds, inbound_routing = excluded.inbound_routing,
       assigned_user_id = excluded.assigned_user_id, ring_all_user_ids = excluded.ring_all_user_ids, seq = excluded.seq
     WHERE excluded.seq >= phone_numbers.seq`,
  ).run(
    p.id,
    p.accountId,
    p.locationId,
    p.number,
    p.name,
    p.forwardingNumber,
    p.callerIdMode,
    p.callConnect ? 1 : 0,
    p.whisperMessage,
    p.recordCalls ? 1 : 0,
    p.ringTimeoutSeconds,
    p.inboundRouting,
    p.assignedUserId,
    json(p.ringAllUserIds),
    p.seq,
  ).changes;
}

function upsertContact(db: Database.Database, c: Contact, contactNames: ContactNames, callIndex: CallIndexTarget, pending: Set<string>): number {
  const old = statement(db, 'SELECT rowid, name, seq FROM contacts WHERE id = ?').get(c.id) as
    | { rowid: number; name: string; seq: number }
    | undefined;
  if (old && old.seq > c.seq) return 0;
  if (c.deletedAt !== null) {
    if (!old) return 0;
    statement(db, 'DELETE FROM contacts WHERE id = ?').run(c.id);
    contactNames.set(c.id, null);
    unindexContact(db, old.rowid);
    reindexCallsOfContact(db, c.id, callIndex);
    return 1;
  }
  // A change of assignee made here and not yet confirmed stays on top of the cloud's value.
  const assignee = pending.has(`contact:${c.id}`) ? foldContactAssignee(db, c.id, c.assignedUserId) : c.assignedUserId;
  const info = statement(
    db,
    `INSERT INTO contacts (id, account_id, location_id, name, phone, email, tags, assigned_user_id, server_assigned_user_id, dnd, created_at, updated_at, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, location_id = excluded.location_id,
       name = excluded.name, phone = excluded.phone, email = excluded.email, tags = excluded.tags,
       assigned_user_id = excluded.assigned_user_id, server_assigned_user_id = excluded.server_assigned_user_id,
       dnd = excluded.dnd, created_at = excluded.created_at, updated_at = excluded.updated_at, seq = excluded.seq`,
  ).run(c.id, c.accountId, c.locationId, c.name, c.phone, c.email, json(c.tags), assignee, c.assignedUserId, json(c.dnd), c.createdAt, c.updatedAt, c.seq);
  const rowid = old ? old.rowid : Number(info.lastInsertRowid);
  contactNames.set(c.id, c.name);
  indexContact(db, rowid, c);
  // The contact's name is part of each of its calls' search text (calls may have arrived first).
  if (!old || old.name !== c.name) reindexCallsOfContact(db, c.id, callIndex);
  return 1;
}

/** A free sort key near the call's start time (collisions within one second probe upwards). */
function allocateSortKey(db: Database.Database, startedMs: number, id: string): number {
  let key = callSortKeyBase(startedMs, id);
  const taken = statement(db, 'SELECT 1 FROM calls WHERE sort_key = ?').pluck();
  while (taken.get(key) !== undefined) key++;
  return key;
}

function remoteNumber(call: Pick<Call, 'direction' | 'from' | 'to'>): string {
  return call.direction === 'inbound' ? call.from : call.to;
}

function contactNameOf(db: Database.Database, contactId: string, names: ContactNames): string | null {
  let name = names.get(contactId);
  if (name === undefined) {
    name = (statement(db, 'SELECT name FROM contacts WHERE id = ?').pluck().get(contactId) as string | undefined) ?? null;
    names.set(contactId, name);
  }
  return name;
}

function upsertCall(db: Database.Database, c: Call, pending: ReadonlySet<string>, contactNames: ContactNames, callIndex: CallIndexTarget): number {
  const old = statement(db, 'SELECT sort_key, seq, started_ms FROM calls WHERE id = ?').get(c.id) as
    | { sort_key: number; seq: number; started_ms: number }
    | undefined;
  if (old && old.seq > c.seq) return 0;
  const startedMs = Date.parse(c.startedAt);
  const keepKey = old !== undefined && old.started_ms === startedMs;
  if (old && !keepKey) callIndex.unindex(old.sort_key);
  const sortKey = keepKey ? old.sort_key : allocateSortKey(db, startedMs, c.id);
  const server = { dispositionId: c.dispositionId, note: c.note };
  const effective = pending.has(`call:${c.id}`) ? foldCall(db, c.id, server) : server;
  statement(
    db,
    `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, source, from_number, to_number, remote_number,
       phone_number_id, user_id, contact_id, rang_user_ids, status, started_at, started_ms, answered_at, ended_at,
       duration_seconds, recordings, disposition_id, note, server_disposition_id, server_note, seq, sort_key, agent_json, task_id, task_outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, location_id = excluded.location_id,
       twilio_call_sid = excluded.twilio_call_sid, direction = excluded.direction, source = excluded.source, from_number = excluded.from_number,
       to_number = excluded.to_number, remote_number = excluded.remote_number, phone_number_id = excluded.phone_number_id,
       user_id = excluded.user_id, contact_id = excluded.contact_id, rang_user_ids = excluded.rang_user_ids,
       status = excluded.status, started_at = excluded.started_at, started_ms = excluded.started_ms,
       answered_at = excluded.answered_at, ended_at = excluded.ended_at, duration_seconds = excluded.duration_seconds,
       recordings = excluded.recordings, disposition_id = excluded.disposition_id, note = excluded.note,
       server_disposition_id = excluded.server_disposition_id, server_note = excluded.server_note, seq = excluded.seq,
       sort_key = excluded.sort_key, agent_json = excluded.agent_json, task_id = excluded.task_id, task_outcome = excluded.task_outcome`,
  ).run(
    c.id,
    c.accountId,
    c.locationId,
    c.twilioCallSid,
    c.direction,
    c.source,
    c.from,
    c.to,
    remoteNumber(c),
    c.phoneNumberId,
    c.userId,
    c.contactId,
    json(c.rangUserIds),
    c.status,
    c.startedAt,
    startedMs,
    c.answeredAt,
    c.endedAt,
    c.durationSeconds,
    json(c.recordings),
    effective.dispositionId,
    effective.note,
    c.dispositionId,
    c.note,
    c.seq,
    sortKey,
    c.agent ? json(c.agent) : null,
    c.taskId ?? null,
    c.taskOutcome ?? null,
  );
  const contactName = c.contactId ? contactNameOf(db, c.contactId, contactNames) : null;
  callIndex.index(sortKey, { contactName, direction: c.direction, from: c.from, to: c.to, note: effective.note }, keepKey);
  return 1;
}

function upsertNotification(db: Database.Database, n: Notification, pending: ReadonlySet<string>): number {
  const readAt = pending.has(`notification:${n.id}`) ? foldNotificationReadAt(db, n.id, n.readAt) : n.readAt;
  return statement(
    db,
    `INSERT INTO notifications (id, account_id, user_id, title, message, redirect, read_at, server_read_at, created_at, created_ms, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, user_id = excluded.user_id, title = excluded.title,
       message = excluded.message, redirect = excluded.redirect, read_at = excluded.read_at,
       server_read_at = excluded.server_read_at, created_at = excluded.created_at, created_ms = excluded.created_ms,
       seq = excluded.seq
     WHERE excluded.seq >= notifications.seq`,
  ).run(n.id, n.accountId, n.userId, n.title, n.message, n.redirect, readAt, n.readAt, n.createdAt, Date.parse(n.createdAt), n.seq).changes;
}
