import type { CloudContext } from '../context';
import { write } from '../db/unit-of-work';
import { recordDomainEvent } from '../events/domain-events';
import type { Brain } from './brain';
import { ensureContact } from './actions';
import { afterCallWrites } from './contact-fields';
import type { AgentCall } from './call-state';

/**
 * After the call: the transcript, the summary and the actions' log are stored on the call (History's
 * call details show them); each Update Contact Fields card's extracted value is written to the
 * contact when it is one the contact takes (afterCallWrites), every change in the contact's audit trail; `call.agent_finished` is recorded. Runs once
 * per call (the row's summary is the guard), whichever way the session ended.
 */
export async function finishCall(ctx: CloudContext, brain: Brain, call: AgentCall): Promise<void> {
  const fields = call.agent.actions.filter((a) => a.config.type === 'update_contact_field');
  let result: { summary: string; values: Record<string, string> };
  try {
    result = await brain.afterCall({ conversation: call.conversation, actionsLog: call.log, fields });
  } catch (error) {
    ctx.log.warn({ err: error instanceof Error ? error.message : String(error), callId: call.callId }, 'AI agent after-call processing failed; transcript kept without summary');
    result = { summary: 'The summary could not be written (the AI endpoint failed); see the transcript.', values: {} };
  }
  const { writes: values, refused } = afterCallWrites(
    fields.flatMap((f) => (f.config.type === 'update_contact_field' ? [f.config.field] : [])),
    result.values,
  );
  // Field and reason only: the value is what the caller said.
  for (const { field, reason } of refused) ctx.log.warn({ callId: call.callId, agentId: call.agent.id, field, reason }, 'an AI agent’s extracted contact field was not written');
  const contactId = values.length > 0 ? await ensureContact(call) : call.contactId;
  await write(ctx.db, call.accountId, async (uow) => {
    const claimed = await uow.q.query(
      `UPDATE calls SET agent_transcript = $2::jsonb, agent_summary = $3, agent_actions = $4::jsonb, updated_at = now() WHERE id = $1 AND agent_summary IS NULL RETURNING id`,
      [call.callId, JSON.stringify(call.conversation.transcript), result.summary, JSON.stringify(call.log)],
    );
    if (claimed.length === 0) return; // already finished by the other path
    uow.touch('calls', call.callId);
    if (contactId && values.length > 0) {
      const rows = await uow.q.query<{ name: string; email: string | null; custom_fields: Record<string, string> }>(
        `SELECT name, email, custom_fields FROM contacts WHERE id = $1 AND account_id = $2 FOR NO KEY UPDATE`,
        [contactId, call.accountId],
      );
      const contact = rows[0];
      if (contact) {
        for (const [field, value] of values) {
          const key = field.startsWith('custom_fields.') ? field.slice('custom_fields.'.length) : null;
          const from = key ? (contact.custom_fields[key] ?? null) : field === 'email' ? contact.email : contact.name;
          if (from === value) continue;
          if (key) await uow.q.query(`UPDATE contacts SET custom_fields = custom_fields || jsonb_build_object($2::text, $3::text), updated_at = now() WHERE id = $1`, [contactId, key, value]);
          else if (field === 'email') await uow.q.query(`UPDATE contacts SET email = $2, updated_at = now() WHERE id = $1`, [contactId, value]);
          else await uow.q.query(`UPDATE contacts SET name = $2, updated_at = now() WHERE id = $1`, [contactId, value]);
          await uow.audit(null, 'contact.update', 'contact', contactId, { field, from, to: value, by: 'ai_agent', agentId: call.agent.id, callId: call.callId });
        }
        uow.touch('contacts', contactId);
      }
    }
    recordDomainEvent(uow, {
      accountId: call.accountId, type: 'call.agent_finished', contactId, callId: call.callId, actorUserId: null,
      payload: { agentId: call.agent.id, actions: call.log.map((l) => ({ type: l.type, status: l.status })), summary: result.summary },
    });
  });
}
