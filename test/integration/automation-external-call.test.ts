import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { publishWorkflow, runsOf, waitFor } from '../support/automation';

afterAll(stopTestPostgres);

/** Log External Call: the seed's recipe (Inbound Webhook → Log External Call), calls in the contact's history marked external. */
describe.each(backends)('Log External Call on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let post: (body: Record<string, unknown>) => Promise<number>;
  let workflowId: string;
  beforeAll(async () => {
    t = await startTestCloud(backend, {}, { automation: {} });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    const field = (name: string): string => `{{inbound_webhook.${name}}}`;
    const wf = await publishWorkflow(t, admin, 'External dialer calls', {
      trigger: { type: 'inbound_webhook', filters: {} },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [{
        id: 'log', name: 'Log the dialer’s call', type: 'log_external_call',
        config: { direction: field('direction'), date: field('date'), to: field('to'), from: field('from'), status: field('status'), recordingUrl: field('recording') },
      }],
    });
    workflowId = wf.id;
    const issued = await t.api(admin, 'POST', `/v1/workflows/${wf.id}/webhook-secret`);
    const path = new URL(issued.body.url).pathname;
    post = async (body) => (await t.api(undefined, 'POST', path, body)).status;
  }, 300_000);
  afterAll(async () => t?.stop());

  const settledRuns = (count: number) =>
    waitFor(`${count} finished runs`, async () => {
      const runs = await runsOf(t, admin, workflowId);
      return runs.length >= count && runs.every((r) => r.status !== 'running' && r.status !== 'waiting') ? runs : null;
    });
  const logOf = async (runId: string) => (await t.api(admin, 'GET', `/v1/workflows/${workflowId}/runs/${runId}`)).body.steps[0] as { status: string; reason: string };

  it('logs inbound and outbound calls on the contact matched by its E.164 number (created once), with the recording; a repeat post logs nothing new', async () => {
    const caller = '+13105556201';
    const inbound = { direction: 'Inbound', date: '2026-11-30T17:05:00Z', from: '(310) 555-6201', to: DEMO_NUMBERS.beverlyHillsMain.number, status: 'completed', recording: 'https://dialer.example/rec/1.mp3' };
    expect(await post(inbound)).toBe(202);
    await settledRuns(1);
    expect(await post(inbound)).toBe(202); // the dialer retried
    expect(await post({ direction: 'outbound', date: '1764522000', from: DEMO_NUMBERS.beverlyHillsMain.number, to: caller, status: 'no_answer' })).toBe(202);
    const runs = await settledRuns(3);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    const reasons = await Promise.all(runs.map((r) => logOf(r.id).then((s) => s.reason)));
    expect(reasons).toEqual(expect.arrayContaining([
      'Logged the external inbound call +13105556201 → +13105550100 (completed, with recording) on a new contact +13105556201',
      'Already logged the external inbound call +13105556201 → +13105550100 (completed, with recording) on the contact +13105556201',
      // No recording was posted: the log says which merge field was blank.
      'Logged the external outbound call +13105550100 → +13105556201 (no-answer) on the contact +13105556201. Blank merge fields: inbound_webhook.recording',
    ]));
    const contacts = (await t.api(jordan, 'GET', `/v1/contacts?search=${encodeURIComponent(caller)}`)).body as { id: string }[];
    expect(contacts).toHaveLength(1);
    // The contact's history (what the softphone syncs): both calls, marked external, the recording attached.
    const calls = ((await t.api(jordan, 'GET', '/v1/calls')).body as { contactId: string; source: string; direction: string; status: string; startedAt: string; answeredAt: string | null; recordings: { url: string }[]; phoneNumberId: string | null }[])
      .filter((c) => c.contactId === contacts[0]!.id);
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.source === 'external' && c.phoneNumberId === DEMO_NUMBERS.beverlyHillsMain.id)).toBe(true);
    const inCall = calls.find((c) => c.direction === 'inbound')!;
    expect(inCall).toMatchObject({ status: 'completed', startedAt: '2026-11-30T17:05:00.000Z', answeredAt: '2026-11-30T17:05:00.000Z', recordings: [expect.objectContaining({ url: 'https://dialer.example/rec/1.mp3' })] });
    expect(calls.find((c) => c.direction === 'outbound')).toMatchObject({ status: 'no-answer', startedAt: '2025-11-30T17:00:00.000Z', answeredAt: null, recordings: [] });
  });

  it('bad fields are said plainly and log nothing', async () => {
    const before = await runsOf(t, admin, workflowId);
    const base = { direction: 'inbound', date: '2026-11-30T18:00:00Z', from: '+13105556202', to: DEMO_NUMBERS.beverlyHillsMain.number, status: 'completed', recording: 'https://dialer.example/rec/2.mp3' };
    for (const bad of [{ direction: 'sideways' }, { from: 'not a number' }, { date: 'yesterday-ish' }, { status: 'exploded' }]) expect(await post({ ...base, ...bad })).toBe(202);
    const runs = (await settledRuns(before.length + 4)).slice(0, 4);
    const reasons = await Promise.all(runs.map((r) => logOf(r.id).then((s) => `${s.status}: ${s.reason}`)));
    expect(reasons.sort()).toEqual([
      'error: Call status "exploded" is not one of: completed, answered, connected, success, no-answer, noanswer, unanswered, missed, busy, failed, error, canceled, cancelled, voicemail',
      'error: Date "yesterday-ish" is not a date (use ISO 8601, e.g. 2026-03-01T15:04:05Z, or a Unix time)',
      'error: Direction "sideways" is neither inbound nor outbound',
      'error: From "not a number" is not a valid phone number',
    ]);
    expect((await t.api(jordan, 'GET', `/v1/contacts?search=${encodeURIComponent('+13105556202')}`)).body).toEqual([]);
  });
});
