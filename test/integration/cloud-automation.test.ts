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

  it('execution log paging: older entries by cursor, none lost or repeated when entries share an instant; a cursor naming no entry of the practice finds nothing', async () => {
    const workflow = await publishWorkflow(t, admin, 'Paged log', {
      trigger: { type: 'manual', filters: {} },
      steps: [{ id: 'dnd', name: 'DND', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: [] } }],
    });
    const runId = `run_paging_${backend}`;
    await t.cloud.db.query(
      `INSERT INTO workflow_runs (id, account_id, workflow_id, version, status, trigger, dedupe_key) SELECT $1, account_id, id, 1, 'completed', 'manual', $1 FROM workflows WHERE id = $2`,
      [runId, workflow.id],
    );
    // Seven entries; four of them written in the same instant (a page boundary falls among them).
    const times = ['2026-11-20T10:00:00Z', '2026-11-20T10:00:01Z', '2026-11-20T10:00:02Z', '2026-11-20T10:00:02Z', '2026-11-20T10:00:02Z', '2026-11-20T10:00:02Z', '2026-11-20T10:00:03Z'];
    for (const [i, at] of times.entries()) {
      await t.cloud.db.query(
        `INSERT INTO run_steps (run_id, step_key, account_id, workflow_id, version, step_id, name, type, status, created_at)
         SELECT $1, $2, account_id, workflow_id, 1, 'dnd', $2, 'dnd', 'completed', $3 FROM workflow_runs WHERE id = $1`,
        [runId, `k${i}`, at],
      );
    }
    const page = async (olderThan?: string) => {
      const res = await t.api(admin, 'GET', `/v1/workflow-logs?workflowId=${workflow.id}&limit=3${olderThan ? `&olderThan=${olderThan}` : ''}`);
      expect(res.status).toBe(200);
      return runStepSchema.array().parse(res.body);
    };
    const seen: string[] = [];
    let last: string | undefined;
    for (let i = 0; i < 5; i++) {
      const entries = await page(last);
      seen.push(...entries.map((e) => e.stepKey));
      if (entries.length < 3) break;
      last = entries.at(-1)!.seq;
    }
    expect(seen).toEqual(['k6', 'k5', 'k4', 'k3', 'k2', 'k1', 'k0']);
    // A cursor naming no entry of this practice matches nothing (the lookup is scoped to the caller's practice); a malformed one is refused.
    const [foreign] = await t.cloud.db.query<{ seq: string }>(`SELECT max(seq)::text AS seq FROM run_steps`);
    expect(await page(String(BigInt(foreign!.seq) + 1000n))).toEqual([]);
    expect((await t.api(admin, 'GET', '/v1/workflow-logs?olderThan=1%20OR%201%3D1')).status).toBe(400);
  }, SLOW);
});
