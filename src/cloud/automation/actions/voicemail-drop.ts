import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { findMedia } from '../../media/service';
import { recordOutbound } from '../../messaging/outbound';
import { isTwilioClientError } from '../../telephony/rest';
import { senderNumber } from './text-message';
import type { ActionDefinition } from './types';

type Dropped = { ok: true; sid: string } | { ok: false; code: number | null; message: string };
const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Voicemail drop. Delivered as a phone call (there is no carrier "ringless" path on Twilio): the
 * contact's number is called from the practice's number with answering-machine detection set to
 * wait for the end of the greeting (MachineDetection=DetectMessageEnd, synchronous), so the
 * recording plays after the beep and lands whole in the mailbox. A person who picks up hears the
 * recording too. Because it is a call, the same consent rules apply as to any automated call
 * (TCPA in the US): send it only to contacts who agreed to be called; DND for outgoing calls is
 * honoured. The drop is recorded in the contact's history (outbound_messages, channel voicemail).
 */
export const voicemailDropAction: ActionDefinition<ActionConfig<'voicemail_drop'>> = {
  type: 'voicemail_drop',
  category: 'communication',
  configSchema: actionConfigSchemas.voicemail_drop,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    if (!contact.phone) return { status: 'skipped', reason: 'The contact has no phone number' };
    if (contact.dnd.call.outbound) return { status: 'skipped', reason: 'The contact has Do Not Disturb on for outgoing calls' };
    const base = ctx.ports.publicUrl().replace(/\/$/, '');
    let audioUrl = config.audioUrl;
    if (config.audioMediaId) {
      const media = await findMedia(ctx.db, ctx.account.id, config.audioMediaId, base);
      if (!media) return { status: 'error', reason: 'The recording was deleted from the media library: upload it again' };
      audioUrl = media.url;
    }
    const from = await senderNumber(ctx, config.fromNumberId);
    if (!from) return { status: 'error', reason: 'No phone number to call from: add one under Settings → Phone Numbers' };

    const record = await ctx.dbEffect('voicemail:record', (uow) =>
      recordOutbound(uow.q, {
        accountId: ctx.account.id, channel: 'voicemail', purpose: 'contact', step: { runId: ctx.run.id, stepId: ctx.step.id, workflowId: ctx.run.workflowId },
        contactId: contact.id, to: contact.phone!, from: from.number, body: audioUrl,
      }, base),
    );
    const client = ctx.ports.twilio();
    const dropped = await ctx.effect<Dropped>(
      'voicemail',
      async () => {
        try {
          const call = await client.calls.create({
            to: contact.phone!, from: from.number, machineDetection: 'DetectMessageEnd',
            twiml: `<Response><Play>${escapeXml(audioUrl)}</Play><Hangup/></Response>`,
          });
          return { ok: true, sid: call.sid };
        } catch (error) {
          if (isTwilioClientError(error)) return { ok: false, code: error.code ?? null, message: error.message };
          throw error; // no answer from Twilio: in doubt, reconciled below
        }
      },
      {
        reconcile: async () => {
          const since = Date.parse(record.createdAt) - 60_000;
          const calls = await client.calls.list({ to: contact.phone!, from: from.number, limit: 20 });
          const found = calls.find((c) => !c.dateCreated || c.dateCreated.getTime() >= since);
          return found ? { ok: true, sid: found.sid } : undefined;
        },
      },
    );
    await ctx.dbEffect('voicemail:result', async (uow) => {
      await uow.q.query(`UPDATE outbound_messages SET provider_id = $2, status = $3, error_message = $4, updated_at = now() WHERE id = $1`, [
        record.id, dropped.ok ? dropped.sid : null, dropped.ok ? 'sent' : 'failed', dropped.ok ? null : dropped.message,
      ]);
      return null;
    });
    if (!dropped.ok) return { status: 'error', reason: `Twilio refused the call: ${dropped.message}${dropped.code ? ` (${dropped.code})` : ''}`, output: { messageId: record.id } };
    return {
      status: 'completed',
      reason: `Voicemail call placed to ${contact.phone} from ${from.number}; the recording plays after the greeting`,
      output: { messageId: record.id, callSid: dropped.sid, audioUrl },
    };
  },
};
