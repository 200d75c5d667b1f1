import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { CloudContext } from '../context';
import { parseInput } from '../http/problem';
import { assertTwilioRequest } from '../telephony/webhook-routes';
import { escapeAttribute, escapeText, twimlContentType } from '../telephony/twiml';
import { workflowCallPaths, workflowCallWaitKey } from './actions/call';
import type { CallSignal } from './actions/call-outcome';
import { signalWaitingSteps } from './signals';

const sid = z.string().min(2).max(64);
const stepQuery = z.object({ run: z.string().min(1).max(64), step: z.string().min(1).max(200) });
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);
const connectQuery = stepQuery.extend({
  from: e164,
  /** The contact's number the call policy allowed when the step placed the call (actions/call.ts). */
  to: e164,
  timeout: z.coerce.number().int().min(5).max(600),
  amd: z.enum(['0', '1']),
});
const callParams = z.object({ AccountSid: sid, CallSid: sid }).passthrough();
const statusParams = callParams.extend({ CallStatus: z.string().max(32), CallDuration: z.coerce.number().int().min(0).optional() });
const dialParams = callParams.extend({
  DialCallStatus: z.string().max(32), DialCallSid: sid.optional(), DialCallDuration: z.coerce.number().int().min(0).optional(), DialBridged: z.string().optional(),
});
const amdParams = callParams.extend({ AnsweredBy: z.string().max(32) });

type StepRow = {
  account_id: string;
  run_status: string;
  contact_phone: string | null;
  contact_dnd: { call?: { outbound?: boolean } } | null;
};

/**
 * The workflow Call action's Twilio webhooks (actions/call.ts places the call): `connect` answers
 * the user's keypress with the `<Dial>` to the contact; `dial-done`, `amd` and `status` record what
 * happened as signals for the waiting step, which then tells the outcome. Every request is checked
 * like the other voice webhooks (X-Twilio-Signature over the URL and its query, then the account).
 */
export async function workflowCallWebhooks(app: FastifyInstance, ctx: CloudContext): Promise<void> {
  app.addHook('preHandler', async (request) => assertTwilioRequest(ctx, request));
  const xml = (reply: FastifyReply, body: string): FastifyReply => reply.type(twimlContentType).send(`<?xml version="1.0" encoding="UTF-8"?>${body}`);

  const step = async (run: string, key: string): Promise<StepRow | undefined> =>
    (await ctx.db.query<StepRow>(
      `SELECT s.account_id, r.status AS run_status, c.phone AS contact_phone, c.dnd AS contact_dnd
         FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id LEFT JOIN contacts c ON c.id = r.contact_id AND c.account_id = s.account_id
        WHERE s.run_id = $1 AND s.step_key = $2 AND s.type = 'call'`,
      [run, key],
    ))[0];

  const signal = async (run: string, key: string, payload: CallSignal): Promise<void> => {
    const row = await step(run, key);
    if (!row) return; // not a Call step of ours (deleted since): nothing to record, and no retries wanted
    await ctx.db.transaction((tx) => signalWaitingSteps(tx, { accountId: row.account_id, waitKey: workflowCallWaitKey(run, key), payload: { ...payload } }));
  };

  app.post(workflowCallPaths.connect, async (request, reply) => {
    const q = parseInput(connectQuery, request.query, 'query');
    parseInput(callParams, request.body, 'body');
    const row = await step(q.run, q.step);
    if (!row || !['running', 'waiting'].includes(row.run_status)) return xml(reply, '<Response><Say>This call is no longer needed. Goodbye.</Say><Hangup/></Response>');
    if (!row.contact_phone) return xml(reply, '<Response><Say>The contact no longer has a phone number. Goodbye.</Say><Hangup/></Response>');
    if (row.contact_dnd?.call?.outbound) return xml(reply, '<Response><Say>The contact has asked not to be called. Goodbye.</Say><Hangup/></Response>');
    // Only the number the call policy allowed is dialled: a number changed while the user's leg rang was never checked.
    if (row.contact_phone !== q.to) return xml(reply, '<Response><Say>The contact’s phone number changed since this call started. Goodbye.</Say><Hangup/></Response>');
    const base = ctx.publicUrl().replace(/\/$/, '');
    const stepQs = new URLSearchParams({ run: q.run, step: q.step }).toString();
    const detection = q.amd === '1' ? ` machineDetection="Enable" amdStatusCallback="${escapeAttribute(`${base}${workflowCallPaths.amd}?${stepQs}`)}"` : '';
    return xml(
      reply,
      `<Response><Say>Connecting you now.</Say><Dial timeout="${q.timeout}" callerId="${escapeAttribute(q.from)}" action="${escapeAttribute(`${base}${workflowCallPaths.dialDone}?${stepQs}`)}">` +
        `<Number${detection}>${escapeText(q.to)}</Number></Dial></Response>`,
    );
  });

  app.post(workflowCallPaths.dialDone, async (request, reply) => {
    const q = parseInput(stepQuery, request.query, 'query');
    const p = parseInput(dialParams, request.body, 'body');
    await signal(q.run, q.step, {
      kind: 'dial', dialStatus: p.DialCallStatus, dialCallSid: p.DialCallSid ?? null, dialSeconds: p.DialCallDuration ?? null, bridged: p.DialBridged === 'true',
    });
    return xml(reply, '<Response><Hangup/></Response>');
  });

  app.post(workflowCallPaths.amd, async (request, reply) => {
    const q = parseInput(stepQuery, request.query, 'query');
    const p = parseInput(amdParams, request.body, 'body');
    await signal(q.run, q.step, { kind: 'amd', answeredBy: p.AnsweredBy });
    return reply.status(204).send();
  });

  app.post(workflowCallPaths.status, async (request, reply) => {
    const q = parseInput(stepQuery, request.query, 'query');
    const p = parseInput(statusParams, request.body, 'body');
    if (['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(p.CallStatus)) {
      await signal(q.run, q.step, { kind: 'user_leg', status: p.CallStatus, seconds: p.CallDuration ?? null });
    }
    return reply.status(204).send();
  });
}
