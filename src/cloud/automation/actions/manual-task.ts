import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { decideTextDestination } from '../../call-policy/service';
import { createTask } from '../../tasks/service';
import { linkTokensToTask } from '../../trigger-links/tokens';
import { smsTooLong, smsWithAttachmentLinks } from './sms-body';
import { renderContactText } from './trigger-links';
import type { ActionContext, ActionDefinition, ActionResult, Wake } from './types';

/**
 * Manual SMS / Manual Call: a task in Inbox → Manual Actions (src/cloud/tasks), assigned by the
 * seed's fallback; the run waits for it (`task:<id>`). Completed moves on; skipped, cancelled and
 * expired are logged as skipped with their reason and the run moves on too (each outcome distinct in
 * the output).
 */
interface QueueInput { selectedUserId: string | null; message: string | null; fromNumberId: string | null; expiresInHours: number | null }

async function queue(ctx: ActionContext, type: 'call' | 'sms', { selectedUserId, message, fromNumberId, expiresInHours }: QueueInput): Promise<ActionResult> {
  const contact = ctx.contact!;
  const task = await ctx.dbEffect('task', async (uow) => {
    const t = await createTask(uow, {
      accountId: ctx.run.accountId, type, contactId: contact.id, title: ctx.step.name, message, fromNumberId, selectedUserId,
      workflowId: ctx.run.workflowId, workflowVersion: ctx.run.version, runId: ctx.run.id, stepKey: ctx.step.key, expiresInHours,
    });
    if (type === 'sms') await linkTokensToTask(uow.q, ctx.run.accountId, { runId: ctx.run.id, stepKey: ctx.step.key }, t.id);
    return { id: t.id, assignedUserId: t.assignedUserId, assignedBecause: t.assignedBecause };
  });
  const who = task.assignedUserId
    ? (await ctx.db.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [task.assignedUserId]))[0]?.name ?? task.assignedUserId
    : 'Unassigned';
  const why = task.assignedBecause === 'owner' && selectedUserId ? ' (the chosen user cannot access this contact: the contact owner)' : '';
  return {
    status: 'waiting',
    waitKey: `task:${task.id}`,
    reason: `Manual ${type === 'call' ? 'Call' : 'SMS'} added to the manual queue for ${who}${why}`,
    output: { taskId: task.id, assignedUserId: task.assignedUserId },
  };
}

function finished(type: 'call' | 'sms', wake: Wake): ActionResult {
  if (wake.kind !== 'signal') return { status: 'waiting', reason: 'Waiting for the task' };
  const outcome = String(wake.payload.outcome ?? 'completed');
  const reason = wake.payload.reason ? `: ${String(wake.payload.reason)}` : '';
  const label = `Manual ${type === 'call' ? 'Call' : 'SMS'}`;
  if (outcome === 'completed') return { status: 'completed', reason: `${label} task completed`, output: { outcome } };
  return { status: 'skipped', reason: `${label} task ${outcome}${reason}`, output: { outcome } };
}

export const manualSmsAction: ActionDefinition<ActionConfig<'manual_sms'>> = {
  type: 'manual_sms',
  category: 'communication',
  configSchema: actionConfigSchemas.manual_sms,
  async execute(ctx, config) {
    const phone = ctx.contact!.phone;
    if (!phone) return { status: 'skipped', reason: 'The contact has no phone number' };
    // A text the practice's call policy refuses could never be sent (tasks/text.ts checks again at the send): no task for it.
    const destination = await decideTextDestination(ctx.db, ctx.account.id, phone);
    if (!destination.ok) return { status: 'error', reason: `${destination.message} No Manual SMS task was queued for ${phone}.` };
    // The receptionist sends the task's message as it stands: the attachments go in it as links, and
    // its trigger links are already the contact's own short links (a click counts for this step).
    const rendered = await renderContactText(ctx, config.message, phone, 'no Manual SMS task was queued');
    if (!rendered.ok) return { status: 'error', reason: rendered.reason };
    const message = smsWithAttachmentLinks(rendered.text, config.attachmentUrls);
    const tooLong = smsTooLong(message);
    if (tooLong) return { status: 'error', reason: tooLong };
    return queue(ctx, 'sms', { selectedUserId: config.assignToUserId, message, fromNumberId: config.fromNumberId, expiresInHours: config.expiresInHours });
  },
  resume: async (_ctx, _config, wake) => finished('sms', wake),
};

export const manualCallAction: ActionDefinition<ActionConfig<'manual_call'>> = {
  type: 'manual_call',
  category: 'communication',
  configSchema: actionConfigSchemas.manual_call,
  async execute(ctx, config) {
    if (!ctx.contact!.phone) return { status: 'skipped', reason: 'The contact has no phone number' };
    return queue(ctx, 'call', { selectedUserId: config.assignToUserId, message: null, fromNumberId: config.fromNumberId, expiresInHours: config.expiresInHours });
  },
  resume: async (_ctx, _config, wake) => finished('call', wake),
};
