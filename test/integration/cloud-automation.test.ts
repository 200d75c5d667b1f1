import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import { runStepSchema } from '../../src/shared/cloud/workflows';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { dispositionId, endCall, inboundCall, publishWorkflow, runsOf, waitFor } from '../support/automation';

afterAll(stopTestPostgres);

/** Starting a cloud (PGlite's WASM start, pg-boss's schema) is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;

describe.each(backends)('automation engine on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  beforeAll(async () => {
    t = await startTestCloud(backend, {}, { automation: {} });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  }, SLOW);
  afterAll(async () => t?.stop());

  it('Spam call → inbound DND: the next call from that number rings no one', async () => {
    const spam = await dispositionId(t, admin, 'Spam call');
    const workflow = await publishWorkflow(t, admin, 'Block spam callers', {
      trigger: { type: 'call_details', filters: { dispositionIds: [spam] } },
      steps: [{ id: 'dnd', name: 'Turn on inbound DND', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: [] } }],
    });
    const caller = '+13105557001';
    const first = await inboundCall(t, caller, DEMO_NUMBERS.beverlyHillsMain.number);
    expect(first.twiml).toContain('<Dial');
    await endCall(t, first.sid, caller, DEMO_NUMBERS.beverlyHillsMain.number, 12);
    const set = await t.api(jordan, 'PUT', `/v1/calls/${first.callId}/disposition`, { dispositionId: spam });
    expect(set.status).toBe(200);

    const [run] = await waitFor('the run to complete', async () => {
      const runs = await runsOf(t, admin, workflow.id);
      return runs.length === 1 && runs[0]!.status === 'completed' ? runs : null;
    });
    expect(run!.contactId).toBeTruthy();
    const contact = (await t.api(jordan, 'GET', `/v1/contacts/${run!.contactId}`)).body;
    expect(contact.phone).toBe(caller);
    expect(contact.dnd.call.inbound).toBe(true);
    expect(contact.dnd.sms.inbound).toBe(true);
    expect(contact.dnd.call.outbound).toBe(false);

    const log = await t.api(admin, 'GET', `/v1/workflow-logs?workflowId=${workflow.id}`);
    const entries = runStepSchema.array().parse(log.body);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ stepId: 'dnd', status: 'completed', attempts: 1, contactId: run!.contactId });
    expect(entries[0]!.reason).toMatch(/Enabled inbound DND for all channels/);
    // Action type and the start of a time range are filtered by the cloud (not over a client's newest rows).
    const count = async (query: string) => (await t.api(admin, 'GET', `/v1/workflow-logs?workflowId=${workflow.id}&${query}`)).body.length;
    const at = Date.parse(entries[0]!.createdAt);
    expect([await count('type=dnd'), await count('type=send_email')]).toEqual([1, 0]);
    expect([await count(`since=${new Date(at).toISOString()}`), await count(`since=${new Date(at + 1).toISOString()}`)]).toEqual([1, 0]);
    expect((await t.api(admin, 'GET', '/v1/workflow-logs?type=DROP%20TABLE')).status).toBe(400);

    const next = await inboundCall(t, caller, DEMO_NUMBERS.beverlyHillsMain.number);
    expect(next.twiml).toContain('<Reject');
    expect(next.twiml).not.toContain('<Dial');
  });
});
