import { webhookPaths } from '../../src/cloud/index';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import type { z } from 'zod';
import type { workflowDocumentSchema } from '../../src/shared/cloud/workflows';
import { callSid, type TestCloud } from './cloud-harness';

/** Helpers for automation tests: build and publish workflows, place calls, wait for runs. */
export const ACCOUNT_SID = SANDBOX_TWILIO_CREDENTIALS.accountSid;

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function publishWorkflow(t: TestCloud, token: string, name: string, draft: z.input<typeof workflowDocumentSchema>): Promise<{ id: string; publishedVersion: number }> {
  const created = await t.api(token, 'POST', '/v1/workflows', { name, draft });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await t.api(token, 'POST', `/v1/workflows/${created.body.id}/publish`);
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.body)}`);
  return published.body;
}

export async function dispositionId(t: TestCloud, token: string, label: string): Promise<string> {
  const list = await t.api(token, 'GET', '/v1/dispositions');
  const found = (list.body as { id: string; label: string }[]).find((d) => d.label === label);
  if (!found) throw new Error(`no disposition ${label}`);
  return found.id;
}

/** An inbound call from `from` to `to` through the voice webhook; returns the call id and the TwiML. */
export async function inboundCall(t: TestCloud, from: string, to: string): Promise<{ sid: string; callId: string; twiml: string }> {
  const sid = callSid();
  const res = await t.webhook(webhookPaths.inbound, { CallSid: sid, AccountSid: ACCOUNT_SID, From: from, To: to, CallStatus: 'ringing', Direction: 'inbound' });
  const rows = await t.cloud.db.query<{ id: string }>(`SELECT id FROM calls WHERE twilio_call_sid = $1`, [sid]);
  return { sid, callId: rows[0]!.id, twiml: res.text };
}

/** Ends a call through the status webhook (answered for `answeredSeconds`, or not at all). */
export async function endCall(t: TestCloud, sid: string, from: string, to: string, answeredSeconds: number | null): Promise<void> {
  if (answeredSeconds !== null) {
    await t.webhook(webhookPaths.status, { AccountSid: ACCOUNT_SID, CallSid: callSid(), ParentCallSid: sid, From: from, To: 'client:usr_demo_jordan', CallStatus: 'in-progress' });
  }
  await t.webhook(webhookPaths.status, { AccountSid: ACCOUNT_SID, CallSid: sid, From: from, To: to, CallStatus: 'completed', CallDuration: String(answeredSeconds ?? 0) });
}

export async function runsOf(t: TestCloud, token: string, workflowId: string): Promise<{ id: string; status: string; contactId: string | null; reason: string | null }[]> {
  const res = await t.api(token, 'GET', `/v1/workflows/${workflowId}/runs`);
  return res.body;
}

export interface RunWithSteps {
  id: string;
  status: string;
  contactId: string | null;
  reason: string | null;
  steps: { stepId: string; status: string; reason: string | null; output: unknown; attempts: number; blankFields: string[] }[];
}

/**
 * Enrols a contact in a published workflow through the API and waits until its run is no longer
 * running (completed, stopped, failed — or waiting, with `untilWaiting`). The usual way to test an
 * action end to end: publish a one-step workflow with it, enrol, read the execution log.
 */
export async function enrolAndWait(
  t: TestCloud,
  token: string,
  workflowId: string,
  contactId: string,
  options: { customValues?: Record<string, unknown>; untilWaiting?: boolean; timeoutMs?: number } = {},
): Promise<RunWithSteps> {
  const before = new Set((await runsOf(t, token, workflowId)).map((r) => r.id));
  const res = await t.api(token, 'POST', `/v1/workflows/${workflowId}/enrol`, { contactId, customValues: options.customValues ?? {} });
  if (res.status !== 201) throw new Error(`enrol failed: ${res.status} ${JSON.stringify(res.body)}`);
  const done = (s: string): boolean => s === 'completed' || s === 'stopped' || s === 'failed' || (options.untilWaiting === true && s === 'waiting');
  const run = await waitFor(
    'the run to finish',
    async () => (await runsOf(t, token, workflowId)).find((r) => !before.has(r.id) && done(r.status)),
    options.timeoutMs ?? 20_000,
  );
  return (await t.api(token, 'GET', `/v1/workflows/${workflowId}/runs/${run.id}`)).body as RunWithSteps;
}
