import { handlebars } from '../templates/handlebars';
import { bookAppointment } from '../appointments/service';
import { decideDial } from '../call-policy/policy';
import { loadCallPolicy } from '../call-policy/service';
import { enrolContact } from '../automation/workflows';
import { write } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { OutboundRefusedError, type OutboundResponse } from '../http/outbound';
import { recordOutbound, messageStatusPath } from '../messaging/outbound';
import { createContact } from '../contacts/service';
import { teamMemberIds } from '../teams/service';
import { createTwilioClient } from '../telephony/rest';
import * as twiml from '../telephony/twiml';
import { webhookPaths } from '../telephony/webhook-params';
import type { ToolResult } from './brain';
import type { AgentCall } from './call-state';
import type { AgentTool } from './tools';
import { webhookRefusalMessage } from './webhook-url';
import { decideTextDestination } from '../call-policy/service';

/**
 * What a tool call does, for real: transfer through the Calls API (the receptionists' softphones
 * ring with the agent's summary as the screen pop's whisper), start a workflow, send the SMS, book
 * the appointment (conflicts refused), call the custom webhook. Every outcome is logged on the call;
 * failures are told to the caller politely and never reported as done.
 */
export async function runTool(call: AgentCall, tool: AgentTool, args: Record<string, unknown>): Promise<ToolResult> {
  const { action } = tool;
  const log = (status: 'done' | 'failed' | 'refused', detail: string) =>
    call.log.push({ actionId: action.id, type: action.config.type, name: action.name, status, detail, at: new Date().toISOString() });
  try {
    const result = await perform(call, tool, args);
    log(result.ok ? 'done' : 'refused', result.detail);
    return { ok: result.ok, say: result.say, ...(result.data ? { data: result.data } : {}) };
  } catch (error) {
    call.ctx.log.warn({ err: error instanceof Error ? error.message : String(error), callId: call.callId, action: action.config.type }, 'AI agent action failed');
    log('failed', `${action.name} failed: ${error instanceof Error ? error.message : 'error'}`);
    return { ok: false, say: "I'm sorry, I couldn't do that just now. Someone from our front desk will follow up with you." };
  }
}

interface Outcome extends ToolResult {
  detail: string;
}

async function perform(call: AgentCall, tool: AgentTool, args: Record<string, unknown>): Promise<Outcome> {
  const config = tool.action.config;
  switch (config.type) {
    case 'call_transfer':
      return transfer(call, config.target, String(args.reason ?? ''));
    case 'trigger_workflow': {
      const contactId = await ensureContact(call);
      const note = String(args.note ?? '');
      await write(call.ctx.db, call.accountId, (uow) =>
        enrolContact(uow, { accountId: call.accountId, workflowId: config.workflowId, contactId, customValues: { callId: call.callId, callerNumber: call.from, agentName: call.agent.name, request: note } }),
      );
      return { ok: true, say: "Done — you'll hear from us shortly.", detail: `Started the workflow “${tool.action.name}”.` };
    }
    case 'send_sms':
      return sendSms(call, config.message, tool.action.name);
    case 'book_appointment':
      return book(call, config, args);
    case 'custom_action':
      return webhook(call, config, args);
    case 'update_contact_field':
      return { ok: false, say: '', detail: 'not a during-the-call action' };
  }
}

/**
 * The caller's contact, created from their number when they are new (booking and workflows need
 * one) — through the contacts service, so it has the practice's defaults (no DND) and its
 * `contact.created` event like any other new contact.
 */
export async function ensureContact(call: AgentCall): Promise<string> {
  if (call.contactId) return call.contactId;
  const id = await write(call.ctx.db, call.accountId, async (uow) => {
    const location = await uow.q.query<{ location_id: string | null }>(`SELECT location_id FROM phone_numbers WHERE id = $1`, [call.phoneNumberId]);
    const contact = await createContact(uow, null, { name: call.from, phone: call.from, locationId: location[0]?.location_id ?? null });
    await uow.q.query(`UPDATE calls SET contact_id = $2, updated_at = now() WHERE id = $1`, [call.callId, contact.id]);
    uow.touch('calls', call.callId);
    await uow.audit(null, 'contact.create', 'contact', contact.id, { by: 'ai_agent', callId: call.callId, phone: call.from });
    return contact.id;
  });
  call.contactId = id;
  return id;
}

async function transfer(call: AgentCall, target: Extract<AgentTool['action']['config'], { type: 'call_transfer' }>['target'], reason: string): Promise<Outcome> {
  const { ctx } = call;
  const done = call.log.filter((l) => l.status === 'done').map((l) => l.detail);
  const asked = (reason || 'asked for a person').trim();
  // The caller's own sentence keeps its punctuation ("please?" not "please?.").
  const summary = `AI agent: ${call.conversation.caller.name ?? call.from} — ${asked}${/[.?!]$/.test(asked) ? '' : '.'}${done.length ? ` ${done.join(' ')}` : ''}`.slice(0, 480);
  const urls = (path: string, query?: Record<string, string>) => `${ctx.publicUrl().replace(/\/$/, '')}${path}${query ? `?${new URLSearchParams(query).toString()}` : ''}`;
  if (target.kind === 'number') {
    // Checked again at the call: the practice may have narrowed its call policy since the card was saved.
    const decision = decideDial(await loadCallPolicy(ctx.db, call.accountId), target.number, 0);
    if (!decision.ok) {
      return { ok: false, say: "I'm sorry, I can't put you through to that number. Can I help with anything else?", detail: `Transfer to ${target.number} refused by the call policy.` };
    }
    call.redirect = { twiml: twiml.dialNumber({ number: target.number, statusUrl: urls(webhookPaths.status) }), ring: [], summary };
    return { ok: true, say: 'Let me connect you now. One moment, please.', detail: `Transferred the caller to ${target.number}.` };
  }
  const ring = target.kind === 'user'
    ? (await ctx.db.query<{ id: string }>(`SELECT id FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [target.userId, call.accountId])).map((r) => r.id)
    : await teamMemberIds(ctx.db, call.accountId, target.teamId);
  if (ring.length === 0) return { ok: false, say: "I'm sorry, no one is available to take your call right now. Can I help with anything else?", detail: 'Transfer refused: no one to ring.' };
  call.redirect = {
    twiml: twiml.ringClients({ identities: ring, callId: call.callId, timeoutSeconds: 30, record: false, actionUrl: urls(webhookPaths.dialComplete, { callId: call.callId }), statusUrl: urls(webhookPaths.status), recordingUrl: urls(webhookPaths.recording) }),
    ring,
    summary,
  };
  return { ok: true, say: 'Let me connect you with someone now. One moment, please.', detail: `Transferred the caller to the front desk (${ring.length} ${ring.length === 1 ? 'person' : 'people'} rung).` };
}

const firstName = (name: string | null): string => (name && !name.startsWith('+') ? name.split(/\s+/)[0]! : '');

async function sendSms(call: AgentCall, message: string, name: string): Promise<Outcome> {
  const { ctx } = call;
  // The caller's own number, but a caller may dial from anywhere: texts go only where the practice's
  // call policy allows (a premium-rate caller asking for texts is the SMS-pumping pattern).
  const destination = await decideTextDestination(ctx.db, call.accountId, call.from);
  if (!destination.ok) return { ok: false, say: "I'm sorry, I can't send a text to this number.", detail: `Text refused: ${destination.message}` };
  const contactName = call.conversation.caller.name;
  const body = handlebars().compile(message, { noEscape: true, strict: false })({
    contact: { name: contactName ?? '', first_name: firstName(contactName), phone: call.from },
    caller: { number: call.from, name: contactName ?? '' },
    practice: { name: call.conversation.agent.practiceName },
  });
  const base = ctx.publicUrl().replace(/\/$/, '');
  const record = await recordOutbound(ctx.db, { accountId: call.accountId, channel: 'sms', purpose: 'contact', contactId: call.contactId, to: call.from, from: call.to, body }, base);
  const sent = await createTwilioClient(ctx.config).messages.create({ to: call.from, from: call.to, body: record.body, statusCallback: `${base}${messageStatusPath}?m=${encodeURIComponent(record.id)}` });
  await ctx.db.query(`UPDATE outbound_messages SET provider_id = $2, status = 'sent' WHERE id = $1`, [record.id, sent.sid]).catch(() => undefined);
  return { ok: true, say: "I've just sent you a text.", detail: `Texted the caller “${name}”.` };
}

async function book(call: AgentCall, config: Extract<AgentTool['action']['config'], { type: 'book_appointment' }>, args: Record<string, unknown>): Promise<Outcome> {
  const startsAt = new Date(String(args.startsAt ?? ''));
  const duration = Number(args.durationMinutes ?? config.durations[0]);
  const service = String(args.service ?? 'Appointment').slice(0, 200);
  if (Number.isNaN(startsAt.getTime())) return { ok: false, say: 'What day and time would suit you?', detail: 'Booking needs a day and time.' };
  if (!config.durations.includes(duration)) return { ok: false, say: `We book ${config.durations.join(' or ')} minutes. Which would you like?`, detail: 'Booking refused: duration not offered.' };
  if (startsAt.getTime() < Date.now() + config.leadTimeMinutes * 60_000) {
    return { ok: false, say: 'That is a little too soon for us to book. Could a later time work?', detail: 'Booking refused: inside the lead time.' };
  }
  const contactId = await ensureContact(call);
  const spoken = new Intl.DateTimeFormat('en-US', { timeZone: call.conversation.agent.timeZone, weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(startsAt);
  try {
    const appointment = await write(call.ctx.db, call.accountId, (uow) =>
      bookAppointment(uow, null, {
        contactId, providerId: config.providerId, locationId: config.locationId, startsAt: startsAt.toISOString(), durationMinutes: duration, status: 'booked',
        calendar: config.calendar || null, title: service, notes: `Booked by the AI agent “${call.agent.name}” on a call from ${call.from}.`,
      }),
    );
    return { ok: true, say: `You're booked for ${service} on ${spoken}. Is there anything else I can help with?`, detail: `Booked ${service} for ${spoken} (${duration} min).`, data: { appointmentId: appointment.id } };
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return { ok: false, say: `I'm sorry, ${spoken} is already taken. Could another time work?`, detail: `Booking refused: ${spoken} is taken.` };
    throw error;
  }
}

const WEBHOOK_TIMEOUT_MS = 8000;
/** A webhook's answer is spoken in a sentence: anything near this size is not meant for the caller. */
const WEBHOOK_MAX_RESPONSE_BYTES = 256 * 1024;

async function webhook(call: AgentCall, config: Extract<AgentTool['action']['config'], { type: 'custom_action' }>, args: Record<string, unknown>): Promise<Outcome> {
  const polite = "I'm sorry, I couldn't check that right now. Someone from our front desk will follow up with you.";
  const vars = { caller: { number: call.from, name: call.conversation.caller.name ?? '' }, call: { id: call.callId }, args };
  const jsonSafe = (value: unknown) => JSON.stringify(value ?? '').slice(1, -1);
  const body = config.body ? handlebars().compile(config.body, { noEscape: true })(JSON.parse(JSON.stringify(vars, (_k, v: unknown) => (typeof v === 'string' ? jsonSafe(v) : v)))) : undefined;
  let response: OutboundResponse;
  try {
    // Checked where the address leads, at the call (its DNS may have changed since the card was saved).
    response = await call.ctx.outbound.request(config.url, {
      method: config.method,
      headers: { ...Object.fromEntries(config.headers.map((h) => [h.name, h.value])), ...(body !== undefined && config.method !== 'GET' ? { 'content-type': 'application/json' } : {}) },
      body: config.method === 'GET' ? undefined : body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      maxResponseBytes: WEBHOOK_MAX_RESPONSE_BYTES,
    });
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, say: polite, detail: `Webhook refused. ${webhookRefusalMessage(error.refusal)}` };
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { ok: false, say: polite, detail: timedOut ? `Webhook timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s.` : 'Webhook could not be reached.' };
  }
  const text = response.text;
  if (!response.ok) return { ok: false, say: polite, detail: `Webhook answered HTTP ${response.status}.` };
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // plain text: {{response}} is the text
  }
  const say = handlebars().compile(config.responseInstruction, { noEscape: true })({ ...vars, response: data });
  return { ok: true, say, detail: `Called the webhook “${config.url}” (HTTP ${response.status}).` };
}
