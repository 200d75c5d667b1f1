import { isValidPhoneNumber } from 'libphonenumber-js';
import type { DialDecision } from '../../call-policy/policy';
import { reserveDialIn } from '../../call-policy/service';
import { newId } from '../../ids';
import { isTwilioClientError } from '../../telephony/rest';
import { escapeAttribute, escapeText } from '../../telephony/twiml';
import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { awaitingVerdict, callIsOver, callOutcome, type CallSignal } from './call-outcome';
import { senderNumber } from './text-message';
import type { ActionContext, ActionDefinition, ActionResult } from './types';

/** Paths of the Call action's Twilio webhooks (call-webhooks.ts); `?run=&step=` name the step. */
export const workflowCallPaths = {
  connect: '/twilio/workflow-call/connect',
  dialDone: '/twilio/workflow-call/dial-done',
  amd: '/twilio/workflow-call/amd',
  status: '/twilio/workflow-call/status',
} as const;

export const workflowCallWaitKey = (runId: string, stepKey: string): string => `workflow-call:${runId}:${stepKey}`;

/** A bridged call can last; after this long without the first leg's final status the outcome is unknown. */
const MAX_CALL_MS = 4 * 3600_000;
/** The contact answered and the call ended before the AMD verdict came: wait this long for it. */
const VERDICT_GRACE_MS = 20_000;


type Placed = { ok: true; sid: string } | { ok: false; code: number | null; message: string };

/** Whom the call rings first: `number` is `client:<user id>` (their softphone) or a phone number outside the practice. */
interface RingTarget {
  number: string;
  label: string;
  user: { id: string; name: string } | null;
}

interface CallStepOutput {
  callId: string;
  callSid: string;
  rang: string;
  ringNumber: string;
  contactNumber: string;
  until: string;
}

/**
 * Whom the call rings: the contact's assigned user — their softphone (the desktop app, Twilio client
 * identity = the user's id) by default, or the phone number on their profile with "ring: phone" —
 * else the Company Phone (the seed's rule).
 */
async function ringTarget(ctx: ActionContext, ringUser: 'softphone' | 'phone'): Promise<RingTarget | { problem: string }> {
  const assigned = ctx.contact!.assignedUserId;
  if (assigned) {
    const rows = await ctx.db.query<{ id: string; name: string; phone: string | null }>(
      `SELECT id, name, phone FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [assigned, ctx.account.id],
    );
    const user = rows[0];
    if (!user) return { problem: 'The contact’s assigned user no longer exists: assign the contact to someone (or unassign it to ring the Company Phone)' };
    if (ringUser === 'softphone') return { number: `client:${user.id}`, label: `${user.name}’s softphone`, user };
    if (!user.phone) return { problem: `${user.name}, the contact’s assigned user, has no phone number on their profile: add one, ring their softphone instead, or unassign the contact to ring the Company Phone` };
    if (!isValidPhoneNumber(user.phone)) return { problem: `${user.name}’s phone number ${user.phone} is not a valid phone number` };
    return { number: user.phone, label: `${user.name} (${user.phone})`, user };
  }
  const company = ctx.account.companyPhone;
  if (!company) return { problem: 'The contact is unassigned and no Company Phone is set (Automation settings → Company Phone): no one to ring' };
  return { number: company, label: `the Company Phone (${company})`, user: null };
}

const ringsSoftphone = (target: RingTarget): boolean => target.number.startsWith('client:');

/** The execution log's words for a call the practice's call policy refused. */
function refusalReason(refused: Exclude<DialDecision, { ok: true }>, target: RingTarget): string {
  if (refused.code === 'OUTBOUND_CALL_LIMIT') {
    const calls = `${refused.limit} outbound call${refused.limit === 1 ? '' : 's'}`;
    return `${target.user?.name ?? 'The user'} has had ${calls} in the last hour, the practice’s limit (the workflow calls that ring them count too). ` +
      'The call was not placed: an admin can raise the limit under Settings → Call policy.';
  }
  return refused.to === target.number ? `${refused.message} ${target.label} was not rung and the contact was not called.` : `${refused.message} The contact (${refused.to}) was not called.`;
}

/**
 * What the softphone shows on the ringing panel of a workflow call (Twilio hands the query of a
 * `client:` To to the Device as the call's custom parameters): that it is a workflow call, for
 * which contact, and the whisper — not just the practice's own number, which is the caller ID.
 */
function softphoneParameters(contact: { name: string; phone: string | null }, callId: string, whisper: string): string {
  return new URLSearchParams({
    source: 'workflow', workflowCallId: callId, contactName: contact.name.slice(0, 200), contactPhone: contact.phone ?? '', whisper: whisper.slice(0, 500),
  }).toString();
}

/**
 * Call: rings the contact's assigned user's softphone or phone (or the Company Phone when unassigned) from the
 * practice's number, plays the whisper (text-to-speech) up to three times, and on a keypress
 * (or at once, with "Connect Call After Keypress" off) dials the contact with the Call Timeout,
 * with answering-machine detection unless "Disable Voicemail Detect" is on. The step waits, at no
 * cost, for the call's webhooks (call-webhooks.ts) and then records the outcome on the run and on
 * the call in the contact's history (calls, source `workflow`). Stop on Response × Disable
 * Voicemail Detect follows the seed's table (stop-on-response.ts): it ends this run.
 */
export const callAction: ActionDefinition<ActionConfig<'call'>> = {
  type: 'call',
  category: 'communication',
  configSchema: actionConfigSchemas.call,
  async execute(ctx, config) {
    const contact = ctx.contact!;
    if (!contact.phone) return { status: 'skipped', reason: 'The contact has no phone number' };
    if (!isValidPhoneNumber(contact.phone)) return { status: 'error', reason: `The contact’s phone number ${contact.phone} is not a valid phone number` };
    if (contact.dnd.call.outbound) return { status: 'skipped', reason: 'The contact has Do Not Disturb on for outgoing calls: the call was not placed' };
    const target = await ringTarget(ctx, config.ringUser);
    if ('problem' in target) return { status: 'error', reason: target.problem };
    const from = await senderNumber(ctx, config.fromNumberId);
    if (!from) return { status: 'error', reason: 'No phone number to call from: add one under Settings → Phone Numbers' };
    // Toll fraud: a workflow call is a dial out like the softphone's, so the practice's call policy
    // decides before any leg rings — anyone who may add a contact may enrol it. Every number outside
    // the practice it rings must be in an allowed country: the contact's, and the first leg's when
    // that is a phone (a user's own phone is typed by that user, the Company Phone by an admin). It
    // counts once against the hourly cap of the user it rings — the user on the call, as the dialer
    // and transfers count theirs; ringing the Company Phone is no one's seat, so only the countries
    // are checked (as for an AI agent's transfer). Through the ledger: a repeat of this step neither
    // counts twice nor decides again.
    const contactPhone = contact.phone;
    const allowed = await ctx.dbEffect('call:policy', (uow) =>
      reserveDialIn(uow, {
        accountId: ctx.account.id, userId: target.user?.id ?? null, kind: 'call', to: contactPhone, alsoRings: ringsSoftphone(target) ? [] : [target.number],
      }),
    );
    if (!allowed.ok) return { status: 'error', reason: refusalReason(allowed, target) };

    const base = ctx.ports.publicUrl().replace(/\/$/, '');
    const query = new URLSearchParams({ run: ctx.run.id, step: ctx.step.key });
    const url = (path: string, extra: Record<string, string> = {}): string => escapeAttribute(`${base}${path}?${new URLSearchParams({ ...Object.fromEntries(query), ...extra })}`);
    // The number the policy allowed rides in the (signed) webhook URL: `connect` dials it and nothing else.
    const connect = url(workflowCallPaths.connect, { from: from.number, to: contact.phone, timeout: String(config.timeoutSeconds), amd: config.disableVoicemailDetect ? '0' : '1' });
    const spoken = await ctx.render(config.whisper);
    const whisper = escapeText(spoken);
    const twiml = config.connectAfterKeypress
      ? `<Response><Gather numDigits="1" timeout="5" action="${connect}"><Say loop="3">${whisper}</Say></Gather><Say>No key was pressed. Goodbye.</Say><Hangup/></Response>`
      : `<Response><Say>${whisper}</Say><Redirect>${connect}</Redirect></Response>`;

    const callId = await ctx.dbEffect('call:record', async (uow) => {
      const id = newId('call');
      await uow.q.query(
        `INSERT INTO calls (id, account_id, direction, from_number, to_number, phone_number_id, user_id, contact_id, status, source)
         VALUES ($1, $2, 'outbound', $3, $4, $5, $6, $7, 'queued', 'workflow')`,
        [id, ctx.account.id, from.number, contact.phone, from.id, target.user?.id ?? null, contact.id],
      );
      uow.touch('calls', id);
      return id;
    });
    const startedAt = ctx.clock.now();
    const client = ctx.ports.twilio();
    const placed = await ctx.effect<Placed>(
      'call',
      async () => {
        try {
          const call = await client.calls.create({
            to: ringsSoftphone(target) ? `${target.number}?${softphoneParameters(contact, callId, spoken)}` : target.number, from: from.number, twiml, timeout: config.timeoutSeconds,
            statusCallback: `${base}${workflowCallPaths.status}?${query}`, statusCallbackEvent: ['completed'],
          });
          return { ok: true, sid: call.sid };
        } catch (error) {
          if (isTwilioClientError(error)) return { ok: false, code: error.code ?? null, message: error.message };
          throw error; // no answer from Twilio: in doubt, reconciled below
        }
      },
      {
        reconcile: async () => {
          const calls = await client.calls.list({ to: target.number, from: from.number, limit: 20 });
          const found = calls.find((c) => !c.dateCreated || c.dateCreated.getTime() >= startedAt - 120_000);
          return found ? { ok: true, sid: found.sid } : undefined;
        },
      },
    );
    await ctx.dbEffect('call:placed', async (uow) => {
      await uow.q.query(`UPDATE calls SET twilio_call_sid = $2, status = $3, ended_at = CASE WHEN $3 = 'failed' THEN now() END, updated_at = now() WHERE id = $1`, [
        callId, placed.ok ? placed.sid : null, placed.ok ? 'ringing' : 'failed',
      ]);
      uow.touch('calls', callId);
      return null;
    });
    if (!placed.ok) return { status: 'error', reason: `Twilio refused the call: ${placed.message}${placed.code ? ` (${placed.code})` : ''}`, output: { callId } };
    const until = new Date(ctx.clock.now() + MAX_CALL_MS).toISOString();
    const output: CallStepOutput = { callId, callSid: placed.sid, rang: target.label, ringNumber: target.number, contactNumber: contact.phone, until };
    return { status: 'waiting', reason: `Ringing ${target.label}; then the contact ${contact.phone}`, waitKey: workflowCallWaitKey(ctx.run.id, ctx.step.key), until, output };
  },

  async resume(ctx, config, wake) {
    const waitKey = workflowCallWaitKey(ctx.run.id, ctx.step.key);
    const [own] = await ctx.db.query<{ output: CallStepOutput | null }>(`SELECT output FROM run_steps WHERE run_id = $1 AND step_key = $2`, [ctx.run.id, ctx.step.key]);
    const state = own?.output;
    if (!state?.callId) return { status: 'error', reason: 'The call step lost its state; the outcome is unknown' };
    const rows = await ctx.db.query<{ payload: CallSignal }>(`SELECT payload FROM step_signals WHERE account_id = $1 AND wait_key = $2 ORDER BY id`, [ctx.account.id, waitKey]);
    const signals = rows.map((r) => r.payload);
    const detectionOn = !config.disableVoicemailDetect;
    const waiting = (until: string, reason: string): ActionResult => ({ status: 'waiting', reason, waitKey, until });
    if (!callIsOver(signals)) {
      if (wake.kind === 'deadline') return { status: 'error', reason: 'No word from Twilio about the call within 4 hours: its outcome is unknown', output: state };
      return waiting(state.until, `On the call with ${state.rang}`);
    }
    if (wake.kind === 'signal' && awaitingVerdict(signals, detectionOn)) {
      return waiting(new Date(Math.min(Date.parse(state.until), ctx.clock.now() + VERDICT_GRACE_MS)).toISOString(), 'The call ended; waiting for the voicemail-detection verdict');
    }
    const outcome = callOutcome(signals, {
      rang: state.rang, keypress: config.connectAfterKeypress, detectionOn, timeoutSeconds: config.timeoutSeconds, stopOnResponse: ctx.run.stopOnResponse,
    });
    await ctx.dbEffect('call:outcome', async (uow) => {
      const endedAt = new Date(ctx.clock.now());
      const answeredAt = outcome.contactSeconds !== null ? new Date(endedAt.getTime() - outcome.contactSeconds * 1000) : outcome.contactLeg !== 'no_answer' ? endedAt : null;
      await uow.q.query(
        `UPDATE calls SET status = $2, answered_at = $3, ended_at = $4, duration_seconds = $5, other_leg_sid = $6, note = $7, updated_at = now() WHERE id = $1`,
        [state.callId, outcome.callStatus, answeredAt?.toISOString() ?? null, endedAt.toISOString(), outcome.contactSeconds ?? 0, outcome.contactCallSid, outcome.reason],
      );
      uow.touch('calls', state.callId);
      return null;
    });
    await ctx.metric(outcome.contactLeg === 'no_answer' ? 'not_connected' : outcome.contactLeg === 'voicemail' ? 'voicemail' : 'connected');
    const output = { ...state, userAnswered: outcome.userAnswered, contactLeg: outcome.contactLeg, answeredBy: outcome.answeredBy, contactSeconds: outcome.contactSeconds, stoppedWorkflow: outcome.stopsWorkflow };
    if (outcome.stepStatus === 'error') return { status: 'error', reason: outcome.reason, output };
    return { status: 'completed', reason: outcome.reason, output, endRun: outcome.stopsWorkflow };
  },
};
