import type Database from 'better-sqlite3';
import { z } from 'zod';
import { MAX_PUSH_BATCH, mutationResultSchema, mutationSchema } from '../../shared/cloud';
import type { Mutation, MutationResult, MutationType } from '../../shared/cloud';
import { CacheInputError } from './errors';
import { mutationTarget, refreshTarget, type SearchLater } from './overlay';
import { statement } from './statements';
import { promoteTaskAction } from './tasks';
import type { OutboxEntry, OutboxState } from './types';
import { epochMsSchema } from './types';

/**
 * Outbox operations on one connection. Each runs inside a transaction opened by the caller
 * (SqliteCache), which is what makes an enqueue and its local effect one durable write.
 */

interface OutboxRow {
  seq: number;
  idempotency_key: string;
  type: string;
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  state: OutboxState;
}

const COLUMNS = 'seq, idempotency_key, type, payload, created_at, attempts, next_attempt_at, last_error, state';

/**
 * Rows of the signed-in owner (the `session` row: user and cloud). Only these are pushed or counted
 * as waiting; another user's or another cloud's rows stay until their owner signs in there again.
 * NULL is a row from before owners were recorded (migration 50): it goes with whoever signs in.
 */
const OWNED = `(o.owner_user IS NULL OR o.owner_user = (SELECT user_id FROM session WHERE singleton = 1))
  AND (o.owner_cloud IS NULL OR o.owner_cloud = (SELECT cloud FROM session WHERE singleton = 1))`;

function toEntry(row: OutboxRow): OutboxEntry {
  const type = row.type as MutationType;
  return {
    seq: row.seq,
    idempotencyKey: row.idempotency_key,
    type,
    mutation: { type, idempotencyKey: row.idempotency_key, payload: JSON.parse(row.payload) } as Mutation,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    state: row.state,
  };
}

export function parseMutation(input: unknown): Mutation {
  const parsed = mutationSchema.safeParse(input);
  if (!parsed.success) throw CacheInputError.fromZod('mutation', parsed.error);
  return parsed.data;
}

export function parseNow(now: unknown): number {
  const parsed = epochMsSchema.safeParse(now);
  if (!parsed.success) throw CacheInputError.fromZod('time', parsed.error);
  return parsed.data;
}

export function getEntry(db: Database.Database, key: string): OutboxEntry | null {
  const row = statement(db, `SELECT ${COLUMNS} FROM outbox WHERE idempotency_key = ?`).get(key) as OutboxRow | undefined;
  return row ? toEntry(row) : null;
}

export interface UnsentEntry extends OutboxEntry {
  ownerUser: string | null;
  ownerCloud: string | null;
}

interface OwnedRow extends OutboxRow {
  owner_user: string | null;
  owner_cloud: string | null;
}

const toUnsent = (row: OwnedRow): UnsentEntry => ({ ...toEntry(row), ownerUser: row.owner_user, ownerCloud: row.owner_cloud });

const INSERT_UNSENT = `INSERT INTO outbox (idempotency_key, type, payload, target_id, created_at, next_attempt_at, owner_user, owner_cloud)
  VALUES (?, ?, ?, ?, ?, ?, (SELECT user_id FROM session WHERE singleton = 1), (SELECT cloud FROM session WHERE singleton = 1))
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING ${COLUMNS}, owner_user, owner_cloud`;
const SELECT_UNSENT = `SELECT ${COLUMNS}, owner_user, owner_cloud FROM outbox WHERE idempotency_key = ?`;

/**
 * Stores a validated mutation and applies its local effect. Enqueuing the same key again with the
 * same mutation returns the stored row (a retried IPC call must not queue twice); the same key with
 * a different mutation is refused. Returns it with its owner (for the outbox journal). `searchLater`:
 * re-index a changed note after the commit, not in it.
 */
export function enqueueMutation(db: Database.Database, mutation: Mutation, now: number, searchLater?: SearchLater): UnsentEntry {
  const payload = JSON.stringify(mutation.payload);
  const target = mutationTarget(mutation);
  // Insert first, look up only on a conflict: a new key (every disposition) costs one statement, not two.
  const row = statement(db, INSERT_UNSENT).get(mutation.idempotencyKey, mutation.type, payload, target, now, now) as OwnedRow | undefined;
  if (!row) {
    const existing = unsentRow(db, mutation.idempotencyKey)!;
    if (existing.type === mutation.type && JSON.stringify(existing.mutation.payload) === payload) return existing;
    throw new CacheInputError(`Idempotency key ${mutation.idempotencyKey} is already used by a different mutation`);
  }
  if (target) refreshTarget(db, target, searchLater);
  return toUnsent(row);
}

/**
 * The next mutations to push, in push order: pending, due by `now`, and not queued behind an
 * earlier mutation of the same row that is still waiting for its retry time.
 */
export function peekBatch(db: Database.Database, limit: number, now: number): OutboxEntry[] {
  const rows = statement(
    db,
    `SELECT ${COLUMNS} FROM outbox o
     WHERE o.state = 'pending' AND o.next_attempt_at <= @now AND ${OWNED}
       AND NOT (o.target_id IS NOT NULL AND EXISTS (
         SELECT 1 FROM outbox p
         WHERE p.target_id = o.target_id AND p.state = 'pending' AND p.seq < o.seq AND p.next_attempt_at > @now))
     ORDER BY o.seq LIMIT @limit`,
  ).all({ now, limit }) as OutboxRow[];
  return rows.map(toEntry);
}

export const batchLimitSchema = z.number().int().min(1).max(MAX_PUSH_BATCH);

export interface AckOutcome {
  applied: number;
  /** Mutations the cloud refused for good; their local effect has been undone. */
  rejected: OutboxEntry[];
  /** Results whose key is not (or no longer) pending here. */
  unknown: string[];
}

export function parseResults(results: unknown): MutationResult[] {
  const parsed = z.array(mutationResultSchema).safeParse(results);
  if (!parsed.success) throw CacheInputError.fromZod('push results', parsed.error);
  return parsed.data;
}

/** Records the cloud's answer to a push: applied → removed; rejected → kept as 'rejected', local effect undone. */
export function ackResults(db: Database.Database, results: readonly MutationResult[]): AckOutcome {
  const outcome: AckOutcome = { applied: 0, rejected: [], unknown: [] };
  const touched = new Set<string>();
  for (const result of results) {
    const row = statement(db, `SELECT ${COLUMNS}, target_id FROM outbox WHERE idempotency_key = ? AND state = 'pending'`).get(
      result.idempotencyKey,
    ) as (OutboxRow & { target_id: string | null }) | undefined;
    if (!row) {
      outcome.unknown.push(result.idempotencyKey);
      continue;
    }
    if (result.status === 'applied') {
      statement(db, 'DELETE FROM outbox WHERE seq = ?').run(row.seq);
      outcome.applied++;
      // The call keeps its effective value: it is the cloud's value now, until the next pull confirms it.
      if (row.target_id?.startsWith('call:')) promoteCallValue(db, row);
      if (row.target_id?.startsWith('notification:')) promoteNotificationValue(db, row.target_id.slice('notification:'.length));
      if (row.target_id?.startsWith('task:')) promoteTaskAction(db, row.target_id.slice('task:'.length), row);
      if (row.target_id?.startsWith('contact:')) promoteContactAssignee(db, row);
    } else {
      const lastError = `${result.code}: ${result.message}`;
      statement(db, "UPDATE outbox SET state = 'rejected', last_error = ? WHERE seq = ?").run(lastError, row.seq);
      outcome.rejected.push(toEntry({ ...row, state: 'rejected', last_error: lastError }));
      if (row.target_id) touched.add(row.target_id);
    }
  }
  for (const target of touched) refreshTarget(db, target);
  return outcome;
}

/** An applied mutation becomes the cloud's value, so a later rejection of another one folds onto it. */
function promoteCallValue(db: Database.Database, row: OutboxRow): void {
  const payload = JSON.parse(row.payload) as { callId: string; dispositionId?: string | null; note?: string | null };
  if (row.type === 'call.setDisposition') {
    statement(db, 'UPDATE calls SET server_disposition_id = ? WHERE id = ?').run(payload.dispositionId ?? null, payload.callId);
  }
  if (payload.note !== undefined) statement(db, 'UPDATE calls SET server_note = ? WHERE id = ?').run(payload.note, payload.callId);
}

function promoteContactAssignee(db: Database.Database, row: OutboxRow): void {
  const payload = JSON.parse(row.payload) as { contactId: string; assignedUserId?: string | null };
  if (row.type === 'contact.update' && payload.assignedUserId !== undefined) {
    statement(db, 'UPDATE contacts SET server_assigned_user_id = ? WHERE id = ?').run(payload.assignedUserId, payload.contactId);
  }
}

function promoteNotificationValue(db: Database.Database, notificationId: string): void {
  statement(db, 'UPDATE notifications SET server_read_at = coalesce(server_read_at, read_at) WHERE id = ?').run(notificationId);
}

/** A push that failed for a transient reason: count the attempt and wait until `nextAttemptAt`. */
export function markFailed(db: Database.Database, keys: readonly string[], error: string, nextAttemptAt: number): number {
  let changed = 0;
  for (const key of keys) {
    changed += statement(
      db,
      "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE idempotency_key = ? AND state = 'pending'",
    ).run(error.slice(0, 2000), nextAttemptAt, key).changes;
  }
  return changed;
}

/** Waiting rows of the signed-in owner. */
export function pendingCount(db: Database.Database): number {
  return statement(db, `SELECT count(*) FROM outbox o WHERE o.state = 'pending' AND ${OWNED}`).pluck().get() as number;
}

/** When the owner's earliest waiting row is due (epoch ms), if any. */
export function nextDueAt(db: Database.Database): number | undefined {
  const at = statement(db, `SELECT min(o.next_attempt_at) FROM outbox o WHERE o.state = 'pending' AND ${OWNED}`).pluck().get() as number | null;
  return at ?? undefined;
}

/**
 * The connection is back: every waiting row of the owner is due now, whatever its backoff said, so
 * an outage's backlog is pushed at once instead of trickling out over its retry times.
 */
export function makeAllDue(db: Database.Database, now: number): number {
  return statement(db, `UPDATE outbox AS o SET next_attempt_at = @now WHERE o.state = 'pending' AND o.next_attempt_at > @now AND ${OWNED}`).run({
    now,
  }).changes;
}

/** One row with its owner (for the outbox journal). */
export function unsentRow(db: Database.Database, key: string): UnsentEntry | undefined {
  const row = statement(db, SELECT_UNSENT).get(key) as OwnedRow | undefined;
  return row ? toUnsent(row) : undefined;
}

/** Every row not yet accepted by a cloud, of every owner (pending and refused): what an admin can see and export. */
export function listUnsent(db: Database.Database): UnsentEntry[] {
  return (statement(db, `SELECT ${COLUMNS}, owner_user, owner_cloud FROM outbox ORDER BY seq`).all() as OwnedRow[]).map(toUnsent);
}

export function listRejected(db: Database.Database): OutboxEntry[] {
  return (statement(db, `SELECT ${COLUMNS} FROM outbox WHERE state = 'rejected' ORDER BY seq`).all() as OutboxRow[]).map(toEntry);
}

/** Forgets rejected mutations once the user has been told (all of them, or the given keys). */
export function dropRejected(db: Database.Database, keys?: readonly string[]): number {
  if (!keys) return statement(db, "DELETE FROM outbox WHERE state = 'rejected'").run().changes;
  let dropped = 0;
  for (const key of keys) {
    dropped += statement(db, "DELETE FROM outbox WHERE state = 'rejected' AND idempotency_key = ?").run(key).changes;
  }
  return dropped;
}
