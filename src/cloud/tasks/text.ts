import type { Twilio } from 'twilio';
import type { Dnd } from '../../shared/cloud/entities';
import { taskBlockedReason, transition } from '../../shared/cloud/task-status';
import type { Task } from '../../shared/cloud/tasks';
import type { CloudConfig } from '../config';
import { decideTextDestination } from '../call-policy/service';
import type { CloudContext, Principal } from '../context';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { messageStatusPath, providerIdOf, recordOutbound } from '../messaging/outbound';
import { createTwilioClient, isTwilioClientError } from '../telephony/rest';
import { TASK_COLUMNS, toTask } from './rows';
import { finishTask } from './work';

/**
 * Sending a text task's message (Manual SMS): the receptionist's edited text goes from the
 * practice's number through the official `twilio` client (the sandbox in the embedded default).
 * Two steps, because no transaction may wait on Twilio: `prepareTaskText` records the message
 * (outbound_messages: the contact's history; its id in the status callback) and links it to the
 * task in the caller's transaction; `deliverTaskText` sends it after that commits, then completes
 * the task (the workflow moves on) — or keeps it open with Twilio's refusal shown on it.
 */

export interface PreparedText {
  taskId: string;
  messageId: string;
  to: string;
  from: string;
  body: string;
  createdAt: string;
}

export type DeliveredText = { ok: true; task: Task } | { ok: false; task: Task; message: string };

const TWILIO_API = /^https:\/\/api\.twilio\.com\/?$/;
const clients = new WeakMap<CloudConfig, Twilio>();

function twilioFor(config: CloudConfig): Twilio {
  if (config.sandbox && TWILIO_API.test(config.twilio.restBaseUrl)) {
    throw new ApiError('TWILIO_NOT_CONFIGURED', 'Texts need Twilio: this cloud runs in sandbox mode without a sandbox REST URL (TWILIO_REST_BASE_URL)');
  }
  let client = clients.get(config);
  if (!client) clients.set(config, (client = createTwilioClient(config)));
  return client;
}

async function readTask(uow: UnitOfWork, id: string, lock: boolean): Promise<Task> {
  const rows = await uow.q.query(`SELECT ${TASK_COLUMNS} FROM tasks tk WHERE tk.id = $1 AND tk.account_id = $2${lock ? ' FOR NO KEY UPDATE OF tk' : ''}`, [id, uow.accountId]);
  if (!rows[0]) throw notFound('Task');
  return toTask(rows[0]);
}

/** The number a task's text goes from: the step's choice, else the receptionist's own line, else the practice's first. */
async function senderFor(uow: UnitOfWork, task: Task, userId: string): Promise<string> {
  const rows = await uow.q.query<{ number: string }>(
    `SELECT number FROM phone_numbers WHERE account_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR id = $2)
      ORDER BY (assigned_user_id IS NOT NULL AND assigned_user_id = $3) DESC, created_at, id LIMIT 1`,
    [uow.accountId, task.fromNumberId, userId],
  );
  if (!rows[0]) throw new ApiError('CONFLICT', task.fromNumberId ? 'The number this text goes from was deleted' : 'The practice has no phone number to text from');
  return rows[0].number;
}

/** Checks the text may be sent now and records it (the caller's transaction). */
export async function prepareTaskText(uow: UnitOfWork, ctx: Pick<CloudContext, 'config' | 'publicUrl'>, principal: Principal, id: string, message: string): Promise<PreparedText> {
  const task = await readTask(uow, id, true);
  if (task.type !== 'sms') throw new ApiError('BAD_REQUEST', 'Only a text task sends a text');
  if (task.status === 'in_progress' && task.startedBy && task.startedBy !== principal.userId) {
    const who = await uow.q.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [task.startedBy]);
    throw new ApiError('CONFLICT', `${who[0]?.name ?? 'Someone else'} is working on this task`);
  }
  const t = transition(task.status, 'complete');
  if (!t.ok) throw new ApiError('CONFLICT', t.message);
  if (task.messageId) {
    const previous = await providerIdOf(uow.q, task.messageId);
    if (previous && previous.status !== 'failed' && previous.status !== 'undelivered') {
      throw new ApiError('CONFLICT', previous.providerId ? 'The text was already sent' : 'The text is being sent');
    }
  }
  const contacts = await uow.q.query<{ phone: string | null; dnd: Dnd | null }>(`SELECT phone, dnd FROM contacts WHERE id = $1 AND account_id = $2`, [task.contactId, uow.accountId]);
  const contact = contacts[0];
  if (!contact) throw notFound('Contact');
  const blocked = taskBlockedReason('sms', contact.dnd);
  if (blocked) throw new ApiError('CONFLICT', blocked);
  if (!contact.phone) throw new ApiError('CONFLICT', 'The contact has no phone number to text');
  // Toll fraud (SMS pumping): only to a country the practice's call policy allows.
  const destination = await decideTextDestination(uow.q, uow.accountId, contact.phone);
  if (!destination.ok) throw new ApiError(destination.code, destination.message);
  twilioFor(ctx.config); // refuses before anything is recorded when Twilio is not configured
  const from = await senderFor(uow, task, principal.userId);
  const record = await recordOutbound(uow.q, {
    accountId: uow.accountId, channel: 'sms', purpose: 'contact', contactId: task.contactId, userId: principal.userId, senderUserId: principal.userId,
    to: contact.phone, from, body: message, trackLinks: false,
  }, ctx.publicUrl());
  await uow.q.query(`UPDATE tasks SET message = $2, message_id = $3, updated_at = now() WHERE id = $1`, [id, message, record.id]);
  await uow.audit(principal.userId, 'task.text', 'task', id, { messageId: record.id });
  uow.touch('tasks', id);
  return { taskId: id, messageId: record.id, to: contact.phone, from, body: record.body, createdAt: record.createdAt };
}


/**
 * Sends a prepared text (after its transaction committed). Accepted by Twilio: the task is
 * completed. Refused: the message is marked failed with Twilio's reason, the task stays open
 * (edit and send again, or skip). Twilio unreachable: its recent messages are searched for this
 * one (it may have been sent) before it is called failed.
 */
export async function deliverTaskText(ctx: CloudContext, principal: Principal, prepared: PreparedText): Promise<DeliveredText> {
  const client = twilioFor(ctx.config);
  const base = ctx.publicUrl().replace(/\/$/, '');
  const statusCallback = `${base}${messageStatusPath}?m=${encodeURIComponent(prepared.messageId)}`;
  let outcome: { sid: string; status: string } | { error: string; code: string | null };
  try {
    const m = await client.messages.create({ to: prepared.to, from: prepared.from, body: prepared.body, statusCallback });
    outcome = { sid: m.sid, status: m.status };
  } catch (error) {
    if (isTwilioClientError(error)) {
      outcome = { error: `Twilio did not send the text: ${error.message}`, code: error.code === undefined ? null : String(error.code) };
    } else {
      const since = Date.parse(prepared.createdAt) - 60_000;
      const recent = await client.messages.list({ to: prepared.to, from: prepared.from, limit: 50 }).catch(() => []);
      const found = recent.find((x) => x.body === prepared.body && (!x.dateCreated || x.dateCreated.getTime() >= since));
      outcome = found ? { sid: found.sid, status: found.status } : { error: `Twilio could not be reached; the text was not sent (${(error as Error).message})`, code: null };
    }
  }
  return write(ctx.db, principal.accountId, async (uow) => {
    if ('sid' in outcome) {
      await uow.q.query(`UPDATE outbound_messages SET provider_id = coalesce(provider_id, $2), updated_at = now() WHERE id = $1`, [prepared.messageId, outcome.sid]);
      const task = await readTask(uow, prepared.taskId, true);
      if (task.status === 'in_progress' && task.messageId === prepared.messageId) {
        return { ok: true, task: await finishTask(uow, principal, prepared.taskId, { outcome: 'completed' }) };
      }
      return { ok: true, task };
    }
    await uow.q.query(
      `UPDATE outbound_messages SET status = 'failed', error_code = $2, error_message = $3, updated_at = now() WHERE id = $1 AND status = 'queued'`,
      [prepared.messageId, outcome.code, outcome.error],
    );
    await uow.audit(principal.userId, 'task.text_failed', 'task', prepared.taskId, { messageId: prepared.messageId, error: outcome.error });
    uow.touch('tasks', prepared.taskId);
    return { ok: false, task: await readTask(uow, prepared.taskId, false), message: outcome.error };
  });
}

/** A text task's message changed status (Twilio's callback): the task is re-sent to the desktops, which show its delivery. */
export async function touchTaskOfMessage(uow: UnitOfWork, messageId: string): Promise<void> {
  const rows = await uow.q.query<{ id: string }>(`SELECT id FROM tasks WHERE message_id = $1 AND account_id = $2`, [messageId, uow.accountId]);
  for (const row of rows) uow.touch('tasks', row.id);
}

/** The REST route's whole send: prepare, commit, deliver; a refusal is a 502 naming Twilio's reason. */
export async function sendTaskText(ctx: CloudContext, principal: Principal, id: string, message: string): Promise<Task> {
  const prepared = await write(ctx.db, principal.accountId, (uow) => prepareTaskText(uow, ctx, principal, id, message));
  const delivered = await deliverTaskText(ctx, principal, prepared);
  if (!delivered.ok) throw new ApiError('TWILIO_REQUEST_FAILED', delivered.message);
  return delivered.task;
}
