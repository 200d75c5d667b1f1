import { createHash } from 'node:crypto';
import type { Mutation, MutationResult, PullResponse, SyncEntityName } from '../../shared/cloud/sync';
import type { CloudContext, Principal } from '../context';
import type { Row } from '../db';
import { constraintError } from '../db/constraint-errors';
import { ApiError } from '../errors';
import { setCallDisposition, setCallNote } from '../calls/service';
import { createContact, updateContact } from '../contacts/service';
import { createDisposition, deleteDisposition, renameDisposition, reorderDispositions } from '../dispositions/service';
import { ACCOUNT_COLUMNS, LOCATION_COLUMNS, USER_COLUMNS, toAccount, toLocation, toUser } from '../accounts/rows';
import { TEAM_COLUMNS, toTeam } from '../teams/rows';
import { CALL_COLUMNS, toCall } from '../calls/rows';
import { CONTACT_COLUMNS, toContact } from '../contacts/rows';
import { DISPOSITION_COLUMNS, toDisposition } from '../dispositions/rows';
import { NOTIFICATION_COLUMNS, toNotification } from '../notifications/rows';
import { NUMBER_COLUMNS, toPhoneNumber } from '../numbers/rows';
import { markNotificationRead } from '../notifications/service';
import { APPOINTMENT_COLUMNS, toAppointment } from '../appointments/rows';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { TASK_COLUMNS, toTask } from '../tasks/rows';
import { claimTask, finishTask, startTask } from '../tasks/work';
import { deliverTaskText, prepareTaskText, type PreparedText } from '../tasks/text';

type Source = { from: string; alias: string; columns: string; scope: string; map: (r: Row) => unknown };
/** What each entity's pull reads; `scope` limits rows to what the user may see ($1 account, $4 user). */
const sources: Record<SyncEntityName, Source> = {
  accounts: { from: 'accounts', alias: 'a', columns: ACCOUNT_COLUMNS, scope: 'a.id = $1', map: toAccount },
  locations: { from: 'locations', alias: 'l', columns: LOCATION_COLUMNS, scope: 'l.account_id = $1', map: toLocation },
  teams: { from: 'teams', alias: 't', columns: TEAM_COLUMNS, scope: 't.account_id = $1', map: toTeam },
  users: { from: 'users', alias: 'u', columns: USER_COLUMNS, scope: 'u.account_id = $1', map: toUser },
  contacts: { from: 'contacts', alias: 'c', columns: CONTACT_COLUMNS, scope: 'c.account_id = $1', map: toContact },
  phoneNumbers: { from: 'phone_numbers', alias: 'pn', columns: NUMBER_COLUMNS, scope: 'pn.account_id = $1', map: toPhoneNumber },
  dispositions: { from: 'dispositions', alias: 'd', columns: DISPOSITION_COLUMNS, scope: 'd.account_id = $1', map: toDisposition },
  calls: { from: 'calls', alias: 'k', columns: CALL_COLUMNS, scope: 'k.account_id = $1', map: toCall },
  notifications: { from: 'notifications', alias: 'nt', columns: NOTIFICATION_COLUMNS, scope: 'nt.account_id = $1 AND nt.user_id = $4', map: toNotification },
  appointments: { from: 'appointments', alias: 'ap', columns: APPOINTMENT_COLUMNS, scope: 'ap.account_id = $1', map: toAppointment },
  // Every task of the practice: the queue shows who has a task, so a second receptionist sees it is taken.
  tasks: { from: 'tasks', alias: 'tk', columns: TASK_COLUMNS, scope: 'tk.account_id = $1', map: toTask },
};

/**
 * Everything the user may see whose last change is after `cursor`, oldest change first, at most
 * `limit` rows across entities. Each table contributes its first limit+1 rows; the merged first
 * `limit` are exact (no row with a smaller seq can be missing) and any surplus means hasMore.
 */
export async function pull(ctx: CloudContext, principal: Principal, cursor: number, limit: number): Promise<PullResponse> {
  const entities = Object.keys(sources) as SyncEntityName[];
  const fetched = await Promise.all(
    entities.map(async (entity) => {
      const s = sources[entity];
      const rows = await ctx.db.query(
        `SELECT ${s.columns} FROM ${s.from} ${s.alias} WHERE ${s.scope} AND ${s.alias}.seq > $2 ORDER BY ${s.alias}.seq LIMIT $3`,
        s.scope.includes('$4') ? [principal.accountId, cursor, limit + 1, principal.userId] : [principal.accountId, cursor, limit + 1],
      );
      return rows.map((row) => ({ entity, seq: Number(row.seq), row }));
    }),
  );
  const merged = fetched.flat().sort((a, b) => a.seq - b.seq);
  const page = merged.slice(0, limit);
  const changes = Object.fromEntries(entities.map((e) => [e, [] as unknown[]])) as Record<SyncEntityName, unknown[]>;
  for (const item of page) changes[item.entity].push(sources[item.entity].map(item.row));
  const next = page.length > 0 ? page[page.length - 1]!.seq : cursor;
  return { changes: changes as PullResponse['changes'], cursor: next, hasMore: merged.length > limit };
}

type Applied = { entity: string; entityId: string; /** A text to send once the mutation has committed. */ text?: PreparedText };

async function apply(ctx: CloudContext, uow: UnitOfWork, principal: Principal, mutation: Mutation): Promise<Applied> {
  switch (mutation.type) {
    case 'call.setDisposition': {
      const call = await setCallDisposition(uow, principal, mutation.payload.callId, mutation.payload.dispositionId, mutation.payload.note);
      return { entity: 'calls', entityId: call.id };
    }
    case 'call.setNote': {
      const call = await setCallNote(uow, principal, mutation.payload.callId, mutation.payload.note);
      return { entity: 'calls', entityId: call.id };
    }
    case 'notification.markRead': {
      const n = await markNotificationRead(uow, principal, mutation.payload.notificationId);
      return { entity: 'notifications', entityId: n.id };
    }
    case 'contact.create': {
      const c = await createContact(uow, principal, mutation.payload);
      return { entity: 'contacts', entityId: c.id };
    }
    case 'contact.update': {
      const { contactId, ...rest } = mutation.payload;
      const c = await updateContact(uow, principal, contactId, rest);
      return { entity: 'contacts', entityId: c.id };
    }
    case 'task.claim':
      return { entity: 'tasks', entityId: (await claimTask(uow, principal, mutation.payload.taskId)).id };
    case 'task.start':
      return { entity: 'tasks', entityId: (await startTask(uow, principal, mutation.payload.taskId)).id };
    case 'task.finish': {
      const { taskId, ...body } = mutation.payload;
      return { entity: 'tasks', entityId: (await finishTask(uow, principal, taskId, body)).id };
    }
    case 'task.sendText': {
      const text = await prepareTaskText(uow, ctx, principal, mutation.payload.taskId, mutation.payload.message);
      return { entity: 'tasks', entityId: text.taskId, text };
    }
    case 'disposition.create': {
      const d = await createDisposition(uow, principal, mutation.payload.label);
      return { entity: 'dispositions', entityId: d.id };
    }
    case 'disposition.rename': {
      const d = await renameDisposition(uow, principal, mutation.payload.dispositionId, mutation.payload.label);
      return { entity: 'dispositions', entityId: d.id };
    }
    case 'disposition.delete': {
      const d = await deleteDisposition(uow, principal, mutation.payload.dispositionId);
      return { entity: 'dispositions', entityId: d.id };
    }
    case 'disposition.reorder': {
      await reorderDispositions(uow, principal, mutation.payload.orderedIds);
      return { entity: 'dispositions', entityId: '*' };
    }
  }
}

/**
 * A task's text goes to Twilio only once its mutation has committed (no transaction waits on
 * Twilio). Twilio's refusal becomes the mutation's stored result, so a retry hears it too.
 */
async function sendAfterCommit(ctx: CloudContext, principal: Principal, key: string, text: PreparedText, applied: MutationResult): Promise<MutationResult> {
  const delivered = await deliverTaskText(ctx, principal, text);
  if (delivered.ok) return applied;
  const refused: MutationResult = { idempotencyKey: key, status: 'rejected', replayed: false, code: 'TWILIO_REQUEST_FAILED', message: delivered.message };
  await ctx.db.query(`UPDATE applied_mutations SET result = $3::jsonb WHERE user_id = $1 AND idempotency_key = $2`, [principal.userId, key, JSON.stringify(refused)]);
  return refused;
}

const requestHash = (m: Mutation): string => createHash('sha256').update(JSON.stringify([m.type, m.payload])).digest('base64url');

/** Mutations applied per transaction: few round trips per push, yet a bounded hold on the connection (PGlite has one). */
export const PUSH_CHUNK = 25;

type Decided = { result: MutationResult; text: PreparedText | undefined };

/**
 * Applies one mutation inside the chunk's transaction. The idempotency key row is inserted first:
 * a concurrent duplicate blocks on it until the first commits, then reads the stored result. A
 * domain refusal (ApiError) is rolled back to the mutation's savepoint and stored as its result, so
 * a retry gets the same answer and the rest of the batch goes on.
 */
async function applyOne(ctx: CloudContext, uow: UnitOfWork, principal: Principal, mutation: Mutation): Promise<Decided> {
  const hash = requestHash(mutation);
  const inserted = await uow.q.query(
    `INSERT INTO applied_mutations (user_id, idempotency_key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING 1 AS ok`,
    [principal.userId, mutation.idempotencyKey, hash],
  );
  if (inserted.length === 0) {
    const stored = await uow.q.query<{ request_hash: string; result: MutationResult }>(
      `SELECT request_hash, result FROM applied_mutations WHERE user_id = $1 AND idempotency_key = $2`,
      [principal.userId, mutation.idempotencyKey],
    );
    const row = stored[0]!;
    if (row.request_hash !== hash) {
      return { text: undefined, result: { idempotencyKey: mutation.idempotencyKey, status: 'rejected', replayed: false, code: 'IDEMPOTENCY_KEY_REUSED', message: 'This idempotency key was already used for a different mutation' } };
    }
    return { text: undefined, result: { ...row.result, replayed: true } };
  }
  let decided: Decided;
  const forget = uow.checkpoint();
  await uow.q.query('SAVEPOINT mutation');
  try {
    const { text, ...applied } = await apply(ctx, uow, principal, mutation);
    decided = { text, result: { idempotencyKey: mutation.idempotencyKey, status: 'applied', replayed: false, ...applied } };
  } catch (error) {
    // A bad mutation (a domain refusal, or an id the database refused) is rejected alone; the rest of the batch goes on.
    const refusal = error instanceof ApiError ? error : constraintError(error);
    if (!refusal) throw error;
    await uow.q.query('ROLLBACK TO SAVEPOINT mutation');
    forget();
    decided = { text: undefined, result: { idempotencyKey: mutation.idempotencyKey, status: 'rejected', replayed: false, code: refusal.code, message: refusal.message } };
  }
  await uow.q.query(`UPDATE applied_mutations SET result = $3::jsonb WHERE user_id = $1 AND idempotency_key = $2`, [
    principal.userId, mutation.idempotencyKey, JSON.stringify(decided.result),
  ]);
  return decided;
}

/**
 * Applies the mutations in order, PUSH_CHUNK to a transaction (one sequence bump and one NOTIFY per
 * chunk, #13 item 6: a hundred waiting changes after an outage). Any failure other than a domain
 * refusal rolls its chunk back and the keys stay unused (the desktop retries; earlier chunks replay).
 * Texts go to Twilio after their chunk has committed.
 */
export async function push(ctx: CloudContext, principal: Principal, mutations: Mutation[]): Promise<{ results: MutationResult[]; cursor: number }> {
  const results: MutationResult[] = [];
  for (let start = 0; start < mutations.length; start += PUSH_CHUNK) {
    const chunk = mutations.slice(start, start + PUSH_CHUNK);
    const decided = await write(ctx.db, principal.accountId, async (uow) => {
      const out: Decided[] = [];
      for (const mutation of chunk) out.push(await applyOne(ctx, uow, principal, mutation));
      return out;
    });
    for (let i = 0; i < decided.length; i++) {
      const { result, text } = decided[i]!;
      results.push(text ? await sendAfterCommit(ctx, principal, chunk[i]!.idempotencyKey, text, result) : result);
    }
  }
  const rows = await ctx.db.query<{ change_seq: number }>(`SELECT change_seq FROM accounts WHERE id = $1`, [principal.accountId]);
  return { results, cursor: Number(rows[0]?.change_seq ?? 0) };
}
