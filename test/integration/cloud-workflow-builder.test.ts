import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import { dryRunReportSchema, workflowSummarySchema } from '../../src/shared/cloud/workflow-builder';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { dispositionId, endCall, inboundCall } from '../support/automation';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const line = DEMO_NUMBERS.beverlyHillsMain.number;

/**
 * The builder's cloud routes (issue [workflow-builder]) on both backends, without the engine's
 * workers: the dry run only reads the events the calls below recorded, and never starts a run.
 */
describe.each(backends)('workflow builder routes on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let spam: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    // Its Send Email steps send From this domain: a verified sending domain of the practice.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'glow.test');
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    spam = await dispositionId(t, admin, 'Spam call');
    const other = (await t.api(admin, 'GET', '/v1/dispositions')).body.find((d: { label: string }) => d.label !== 'Spam call').id as string;
    // Caller A twice and caller B once marked Spam; caller C's call gets another disposition.
    for (const [caller, disposition] of [['+13105558001', spam], ['+13105558001', spam], ['+13105558002', spam], ['+13105558003', other]] as const) {
      const call = await inboundCall(t, caller, line);
      await endCall(t, call.sid, caller, line, 5);
      const set = await t.api(jordan, 'PUT', `/v1/calls/${call.callId}/disposition`, { dispositionId: disposition });
      expect(set.status).toBe(200);
    }
  }, SLOW);
  afterAll(async () => t?.stop());

  const spamDoc = (extra: object = {}) => ({
    trigger: { type: 'call_details', filters: { dispositionIds: [spam] } },
    steps: [
      { id: 'dnd_1', name: 'Block inbound', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: [] } },
      {
        id: 'send_email_1', name: 'Sorry email', type: 'send_email',
        config: { fromName: 'Glow', fromEmail: 'desk@glow.test', subject: 'Hi {{contact.first_name}}', body: 'At {{appointment.start_time}}', attachments: [], cc: [], bcc: [] },
      },
    ],
    ...extra,
  });

  it('dry run: counts the contacts the trigger would have entered, steps reached, blank fields and failures (re-entry off and on)', async () => {
    const created = await t.api(admin, 'POST', '/v1/workflows', { name: 'Block spam', draft: spamDoc() });
    expect(created.status).toBe(201);
    const res = await t.api(admin, 'POST', `/v1/workflows/${created.body.id}/dry-run`, {});
    expect(res.status).toBe(200);
    const report = dryRunReportSchema.parse(res.body);
    expect(report.eventsConsidered).toBe(4);
    expect(report).toMatchObject({ entries: 2, contacts: 2, canPublish: true, problems: [] });
    expect(report.steps.map((s) => [s.stepId, s.reached])).toEqual([['dnd_1', 2], ['send_email_1', 2]]);
    const email = report.steps[1]!;
    expect(email.failures).toEqual([{ reason: 'The contact has no email address', count: 2 }]);
    expect(email.blankFields).toEqual([{ field: 'appointment.start_time', count: 2 }]);
    expect(report.notes.join(' ')).toMatch(/1 repeat entries were left out/);

    const again = dryRunReportSchema.parse(
      (await t.api(admin, 'POST', `/v1/workflows/${created.body.id}/dry-run`, { draft: spamDoc({ settings: { allowReentry: true, stopOnResponse: false } }) })).body,
    );
    expect(again).toMatchObject({ entries: 3, contacts: 2 });
    // Nothing was started or written by a dry run.
    expect((await t.api(admin, 'GET', `/v1/workflows/${created.body.id}/runs`)).body).toEqual([]);
  });

  it('dry run: a deleted disposition blocks publishing; a document without an action cannot publish; receptionists are refused', async () => {
    const label = await t.api(admin, 'POST', '/v1/dispositions', { label: 'Soon gone' });
    expect(label.status).toBe(201);
    const created = await t.api(admin, 'POST', '/v1/workflows', { name: 'Gone', draft: { ...spamDoc(), trigger: { type: 'call_details', filters: { dispositionIds: [label.body.id] } } } });
    expect(created.status).toBe(201);
    expect((await t.api(admin, 'DELETE', `/v1/dispositions/${label.body.id}`)).status).toBeLessThan(300);
    const report = dryRunReportSchema.parse((await t.api(admin, 'POST', `/v1/workflows/${created.body.id}/dry-run`, {})).body);
    expect(report.canPublish).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ blocking: true, message: expect.stringMatching(/disposition .* no longer exists/) })]);

    const empty = dryRunReportSchema.parse((await t.api(admin, 'POST', `/v1/workflows/${created.body.id}/dry-run`, { draft: { trigger: null, steps: [] } })).body);
    expect(empty.canPublish).toBe(false);
    expect(empty.problems.map((p) => p.message)).toEqual([expect.stringMatching(/Add a trigger/), expect.stringMatching(/Add an action/)]);
    expect((await t.api(jordan, 'POST', `/v1/workflows/${created.body.id}/dry-run`, {})).status).toBe(403);
    expect((await t.api(admin, 'POST', `/v1/workflows/${created.body.id}/dry-run`, { draft: { trigger: { type: 'nope' } } })).status).toBe(400);
  });

  it('summaries and delete: runs in progress finish or are cancelled, as the admin chooses', async () => {
    const make = async (name: string) => {
      const w = (await t.api(admin, 'POST', '/v1/workflows', { name, draft: spamDoc() })).body;
      expect((await t.api(admin, 'POST', `/v1/workflows/${w.id}/publish`)).status).toBe(200);
      // A run in progress and an old finished one (fixtures: no engine runs in this file).
      for (const [id, status, ago] of [[`run_${w.id}_a`, 'waiting', 1], [`run_${w.id}_b`, 'completed', 10]] as const) {
        await t.cloud.db.query(
          `INSERT INTO workflow_runs (id, account_id, workflow_id, version, status, trigger, dedupe_key, started_at) VALUES ($1, $2, $3, 1, $4, 'manual', $1, now() - make_interval(days => $5))`,
          [id, w.accountId, w.id, status, ago],
        );
      }
      return w.id as string;
    };
    const finish = await make('Finish me');
    const cancel = await make('Cancel me');
    const summaries = workflowSummarySchema.array().parse((await t.api(admin, 'GET', '/v1/workflow-summaries')).body);
    expect(summaries.find((s) => s.workflowId === finish)).toEqual({ workflowId: finish, runs7d: 1, errors7d: 0, activeRuns: 1 });
    expect((await t.api(jordan, 'GET', '/v1/workflow-summaries')).status).toBe(403);

    expect((await t.api(admin, 'POST', `/v1/workflows/${finish}/delete`, { inProgress: 'finish' })).body).toEqual({ deleted: true, cancelledRuns: 0, finishingRuns: 1 });
    expect((await t.api(admin, 'POST', `/v1/workflows/${cancel}/delete`, { inProgress: 'cancel' })).body).toEqual({ deleted: true, cancelledRuns: 1, finishingRuns: 0 });
    const status = async (id: string) => (await t.cloud.db.query<{ status: string }>(`SELECT status FROM workflow_runs WHERE id = $1`, [id]))[0]!.status;
    expect(await status(`run_${finish}_a`)).toBe('waiting');
    expect(await status(`run_${cancel}_a`)).toBe('stopped');
    expect((await t.api(admin, 'GET', `/v1/workflows/${finish}`)).status).toBe(404);
    expect((await t.api(admin, 'POST', `/v1/workflows/${finish}/delete`, { inProgress: 'cancel' })).status).toBe(404);
    expect((await t.api(admin, 'POST', `/v1/workflows/${cancel}/delete`, { inProgress: 'later' })).status).toBe(400);
  });
});
