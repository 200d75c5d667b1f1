import { write } from '../db/unit-of-work';
import { agentForLine, relayTwiml } from '../agents/answer';
import { newId } from '../ids';
import { lookupInboundRoute, type InboundRoute } from './inbound-lookup';
import { dialConnected, dialSettings } from './dial-settings';
import { insertInboundCalls, type InboundCallRow, type StoredInboundCall } from './inbound-writer';
import { ringsUsers, whoRings } from './inbound-routing';
import { markMissed } from './missed-calls';
import * as twiml from './twiml';
import type { VoiceDeps } from './voice-deps';
import { voicemailTwiml } from './voicemail';
import { webhookPaths, type DialCompleteParams, type InboundParams } from './webhook-params';

/** A call to one of the account's numbers: record it, pop it on the screens it rings, answer with TwiML. */
export async function inboundCall(deps: VoiceDeps, p: InboundParams): Promise<string> {
  const { ctx, urls } = deps;
  const route = await lookupInboundRoute(ctx.db, deps.routes, p.To, p.From, deps.callers);
  if (!route) {
    ctx.log.warn({ to: p.To, callSid: p.CallSid }, 'inbound call to an unknown number');
    return twiml.sayAndHangUp('The number you have called is not in service.');
  }
  const { number } = route;
  deps.lastKnown?.remember(p.To, number, p.From, route.contact);
  const decision = whoRings(number, route.contact);
  // An AI agent answering this line now (always / after hours) takes the call instead of the ring.
  const agent = decision.kind === 'ring' || decision.kind === 'voicemail' ? await agentForLine(ctx, ctx.db, number.accountId, number.id, 'arrival') : null;
  if (agent) {
    const answered = await recordInboundCall(deps, p, route, [], 'ringing', 'softphone');
    await ctx.db.query(`UPDATE calls SET agent_id = $2 WHERE id = $1 AND agent_id IS NULL`, [answered.id, agent.id]);
    return relayTwiml(ctx, agent, answered.id);
  }
  // A forwarded call is handled outside the softphone: reports count it as external.
  const created = await recordInboundCall(deps, p, route, ringsUsers(decision), decision.kind === 'blocked' ? 'rejected' : 'ringing', decision.kind === 'forward' ? 'external' : 'softphone');

  switch (decision.kind) {
    case 'blocked':
      return twiml.reject();
    case 'forward':
      // Every per-number setting applies to a forwarded call too: caller ID, ring timeout (then
      // voicemail), recording, and whisper / call connect on the phone that answers.
      return twiml.dialNumber({ number: decision.to, ...dialSettings(urls, number, { callId: created.id }) });
    case 'ring':
    case 'voicemail':
      // A replayed webhook answers as the first one did: with the users stored then.
      if (created.ring.length === 0) return voicemailTwiml(urls, { callId: created.id });
      return twiml.ringClients({ identities: created.ring, callId: created.id, ...dialSettings(urls, number, { callId: created.id }) });
  }
}

/**
 * Stores the call, keyed by its CallSid (a replayed webhook changes nothing and gets the stored row
 * back): through the webhook routes' group-commit writer when there is one, else on its own.
 */
async function recordInboundCall(
  deps: VoiceDeps, p: InboundParams, route: InboundRoute, ring: string[], status: 'ringing' | 'rejected', source: 'softphone' | 'external',
): Promise<StoredInboundCall> {
  const { number, contact } = route;
  const callId = newId('call');
  const row: InboundCallRow = {
    callId, accountId: number.accountId, locationId: number.locationId, callSid: p.CallSid, from: p.From, to: p.To, phoneNumberId: number.id,
    contactId: contact?.id ?? null, ring, status, source,
    screenPop: {
      callId, twilioCallSid: p.CallSid, from: p.From, to: p.To, phoneNumberId: number.id, phoneNumberName: number.name,
      whisperMessage: number.whisperMessage, locationId: number.locationId,
      contact: contact ? { id: contact.id, name: contact.name, tags: contact.tags, assignedUserId: contact.assignedUserId } : null,
    },
  };
  if (deps.calls) return deps.calls.record(row);
  const stored = (await insertInboundCalls(deps.ctx.db, number.accountId, [row])).get(p.CallSid);
  if (!stored) throw new Error(`call ${p.CallSid} neither inserted nor found`);
  return stored;
}

/** Run on the answering user's leg before bridging. */
export async function whisper(deps: VoiceDeps, callId: string): Promise<string> {
  const rows = await deps.ctx.db.query<{ whisper_message: string | null; call_connect: boolean }>(
    `SELECT pn.whisper_message, pn.call_connect FROM calls k JOIN phone_numbers pn ON pn.id = k.phone_number_id WHERE k.id = $1`,
    [callId],
  );
  const row = rows[0];
  if (!row) return twiml.empty();
  return twiml.whisper({ message: row.whisper_message, callConnect: row.call_connect, acceptUrl: deps.urls.url(webhookPaths.whisperAccept) });
}

/**
 * The <Dial> of an inbound call ended: connected calls hang up, the rest go to voicemail. A call
 * answered but never bridged (call connect: nobody pressed a key) counts as not connected.
 */
export async function dialComplete(deps: VoiceDeps, callId: string, p: DialCompleteParams): Promise<string> {
  if (dialConnected(p)) return twiml.hangUp();
  const call = await deps.ctx.db.query<{ account_id: string; phone_number_id: string | null; agent_id: string | null }>(`SELECT account_id, phone_number_id, agent_id FROM calls WHERE id = $1 AND twilio_call_sid = $2`, [callId, p.CallSid]);
  if (call[0]) await write(deps.ctx.db, call[0].account_id, (uow) => markMissed(uow, p.CallSid));
  // No one answered: an agent set to answer on no answer takes it (once: not after its own transfer).
  const agent = call[0]?.phone_number_id && !call[0].agent_id ? await agentForLine(deps.ctx, deps.ctx.db, call[0].account_id, call[0].phone_number_id, 'no_answer') : null;
  if (agent) {
    await deps.ctx.db.query(`UPDATE calls SET agent_id = $2 WHERE id = $1 AND agent_id IS NULL`, [callId, agent.id]);
    return relayTwiml(deps.ctx, agent, callId);
  }
  return voicemailTwiml(deps.urls, { callId });
}
