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
 *
 * Only changes up to the account's committed cursor, read first, are sent. Each table's query runs
 * in a snapshot of its own, so a transaction that commits while they run could be seen by one table's
 * query and not by another's: without the bound, the cursor could pass a change that was never sent.
 * Up to the bound every change is committed (writers take the account row's lock to number theirs),
 * so all are seen; a later one comes with the next pull. A last page ends at the bound itself, even
 * when the newest changes are not this user's to see: the client's cursor then says it has pulled
 * everything up to what the realtime socket announces (its hello, each poke), and skips those pulls.
 */
export async function pull(ctx: CloudContext, principal: Principal, cursor: number, limit: number): Promise<PullResponse> {
  const entities = Object.keys(sources) as SyncEntityName[];
  const [account] = await ctx.db.query<{ change_seq: string | number }>(`SELECT change_seq FROM accounts WHERE id = $1`, [principal.accountId]);
  const committed = Number(account?.change_seq ?? 0);
  const fetched = await Promise.all(
    entities.map(async (entity) => {
      const s = sources[entity];
      const scoped = s.scope.includes('$4');
      const rows = await ctx.db.query(
        `SELECT ${s.columns} FROM ${s.from} ${s.alias} WHERE ${s.scope} AND ${s.alias}.seq > $2 AND ${s.alias}.seq <= ${scoped ? '$5' : '$4'} ORDER BY ${s.alias}.seq LIMIT $3`,
        scoped ? [principal.accountId, cursor, limit + 1, principal.userId, committed] : [principal.accountId, cursor, limit + 1, committed],
      );
      return rows.map((row) => ({ entity, seq: Number(row.seq), row }));
    }),
  );
  const merged = fetched.flat().sort((a, b) => a.seq - b.seq);
  const page = merged.slice(0, limit);
  const hasMore = merged.length > limit;
  const changes = Object.fromEntries(entities.map((e) => [e, [] as unknown[]])) as Record<SyncEntityName, unknown[]>;
  for (const item of page) changes[item.entity].push(sources[item.entity].map(item.row));
  const next = hasMore ? page[page.length - 1]!.seq : Math.max(cursor, committed);
  return { changes: changes as PullResponse['changes'], cursor: next, hasMore };
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
type StoredMutation = { request_hash: string; result: MutationResult };

/**
 * A mutation was refused in a chunk applied without a savepoint around it: nothing of the attempt
 * may stay, so the chunk is rolled back and applied again with savepoints from that mutation on.
 */
class RefusedWithoutSavepoint extends Error {
  constructor(readonly index: number) {
    super(`mutation ${index} of the chunk was refused`);
  }
}

/** The answer to a key already used: the stored result again, or a refusal if it was used for another mutation. */
function replay(key: string, hash: string, stored: StoredMutation): MutationResult {
  if (stored.request_hash !== hash) {
    return { idempotencyKey: key, status: 'rejected', replayed: false, code: 'IDEMPOTENCY_KEY_REUSED', message: 'This idempotency key was already used for a different mutation' };
  }
  return { ...stored.result, replayed: true };
}

/**
 * Applies one new mutation. With a savepoint around it, a domain refusal (ApiError, or an id the
 * database refused) is rolled back to it and becomes the mutation's result, and the rest of the
 * chunk goes on. Without one (the usual case: it saves a round trip per mutation), a refusal
 * aborts the attempt (RefusedWithoutSavepoint) and the chunk is applied again with savepoints.
 */
async function applyNew(ctx: CloudContext, uow: UnitOfWork, principal: Principal, mutation: Mutation, index: number, savepoint: boolean): Promise<Decided> {
  const forget = savepoint ? uow.checkpoint() : undefined;
  if (savepoint) await uow.q.query('SAVEPOINT mutation');
  try {
    const { text, ...applied } = await apply(ctx, uow, principal, mutation);
    return { text, result: { idempotencyKey: mutation.idempotencyKey, status: 'applied', replayed: false, ...applied } };
  } catch (error) {
    const refusal = error instanceof ApiError ? error : constraintError(error);
    if (!refusal) throw error;
    if (!forget) throw new RefusedWithoutSavepoint(index);
    await uow.q.query('ROLLBACK TO SAVEPOINT mutation');
    forget();
    return { text: undefined, result: { idempotencyKey: mutation.idempotencyKey, status: 'rejected', replayed: false, code: refusal.code, message: refusal.message } };
  }
}

/**
 * Applies one chunk inside its transaction, with a fixed number of round trips besides the
 * mutations' own: every new idempotency key is claimed by ONE insert first (a concurrent duplicate
 * blocks on it until the first commits, then reads the stored result; keys in sorted order so two
 * such pushes cannot deadlock), the keys already used are read by one select, and the results are
 * stored by one update at the end. A key repeated inside the chunk is answered as its first use.
 * Mutations from `savepointsFrom` on get a savepoint each.
 */
async function applyChunk(ctx: CloudContext, uow: UnitOfWork, principal: Principal, chunk: Mutation[], savepointsFrom: number): Promise<Decided[]> {
  const hashes = chunk.map(requestHash);
  const firstUse = new Map<string, number>();
  for (const [i, m] of chunk.entries()) if (!firstUse.has(m.idempotencyKey)) firstUse.set(m.idempotencyKey, i);
  const keys = [...firstUse.keys()];
  const claimed = await uow.q.query<{ key: string }>(
    `INSERT INTO applied_mutations (user_id, idempotency_key, request_hash)
     SELECT $1, v.key, v.hash FROM unnest($2::text[], $3::text[]) AS v(key, hash) ORDER BY v.key
     ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING idempotency_key AS key`,
    [principal.userId, keys, keys.map((k) => hashes[firstUse.get(k)!])],
  );
  const fresh = new Set(claimed.map((r) => r.key));
  const used = keys.filter((k) => !fresh.has(k));
  const stored = new Map<string, StoredMutation>();
  if (used.length > 0) {
    const rows = await uow.q.query<StoredMutation & { idempotency_key: string }>(
      `SELECT idempotency_key, request_hash, result FROM applied_mutations WHERE user_id = $1 AND idempotency_key = ANY($2::text[])`,
      [principal.userId, used],
    );
    for (const row of rows) stored.set(row.idempotency_key, row);
  }
  const out: Decided[] = [];
  for (const [i, mutation] of chunk.entries()) {
    const key = mutation.idempotencyKey;
    const first = firstUse.get(key)!;
    if (first === i && fresh.has(key)) {
      out.push(await applyNew(ctx, uow, principal, mutation, i, i >= savepointsFrom));
      continue;
    }
    const earlier = first < i && fresh.has(key) ? { request_hash: hashes[first]!, result: out[first]!.result } : stored.get(key);
    if (!earlier) throw new Error(`idempotency key ${key} neither claimed nor stored`); // removed meanwhile: the desktop retries
    out.push({ text: undefined, result: replay(key, hashes[i]!, earlier) });
  }
  const decidedKeys = keys.filter((k) => fresh.has(k));
  if (decidedKeys.length > 0) {
    await uow.q.query(
      `UPDATE applied_mutations AS a SET result = v.result::jsonb FROM unnest($2::text[], $3::text[]) AS v(key, result)
        WHERE a.user_id = $1 AND a.idempotency_key = v.key`,
      [principal.userId, decidedKeys, decidedKeys.map((k) => JSON.stringify(out[firstUse.get(k)!]!.result))],
    );
  }
  return out;
}

/**
 * Applies the mutations in order, PUSH_CHUNK to a transaction (one sequence bump and one NOTIFY per
 * chunk, #13 item 6: a hundred waiting changes after an outage). A chunk is first applied without
 * savepoints; if a mutation in it is refused, it is rolled back and applied again with a savepoint
 * for that mutation and the ones after it, so the refusal alone is undone. Any failure other than a
 * domain refusal rolls its chunk back and the keys stay unused (the desktop retries; earlier chunks
 * replay). Texts go to Twilio after their chunk has committed.
 */
export async function push(ctx: CloudContext, principal: Principal, mutations: Mutation[]): Promise<{ results: MutationResult[]; cursor: number }> {
  const results: MutationResult[] = [];
  for (let start = 0; start < mutations.length; start += PUSH_CHUNK) {
    const chunk = mutations.slice(start, start + PUSH_CHUNK);
    let savepointsFrom = chunk.length;
    let decided: Decided[] | undefined;
    while (!decided) {
      try {
        decided = await write(ctx.db, principal.accountId, (uow) => applyChunk(ctx, uow, principal, chunk, savepointsFrom));
      } catch (error) {
        // Each attempt starts its savepoints earlier, so this ends (at the latest with all of them).
        if (!(error instanceof RefusedWithoutSavepoint) || error.index >= savepointsFrom) throw error;
        savepointsFrom = error.index;
      }
    }
    for (let i = 0; i < decided.length; i++) {
      const { result, text } = decided[i]!;
      results.push(text ? await sendAfterCommit(ctx, principal, chunk[i]!.idempotencyKey, text, result) : result);
    }
  }
  const rows = await ctx.db.query<{ change_seq: number }>(`SELECT change_seq FROM accounts WHERE id = $1`, [principal.accountId]);
  return { results, cursor: Number(rows[0]?.change_seq ?? 0) };
}
