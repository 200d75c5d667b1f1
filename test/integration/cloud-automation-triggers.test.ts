import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDomainEvent, webhookPaths, write } from '../../src/cloud/index';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { ACCOUNT_SID, dispositionId, endCall, enrolAndWait, inboundCall, publishWorkflow, runsOf, waitFor } from '../support/automation';

afterAll(stopTestPostgres);

/** Starting a cloud (PGlite's WASM start, pg-boss's schema) is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;

/** Triggers and their filters, re-entry, Stop on Response, the disposition-change rule, inbound webhooks. */
describe.each(backends)('workflow triggers on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let phoneSeq = 0;
  const phone = (): string => `+1424555${String(3000 + phoneSeq++).padStart(4, '0')}`;
  const contact = async (body: Record<string, unknown> = {}) => {
    const res = await t.api(jordan, 'POST', '/v1/contacts', { name: `Test ${phoneSeq}`, phone: phone(), ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; phone: string; tags: string[] };
  };
  const getContact = async (id: string) => (await t.api(jordan, 'GET', `/v1/contacts/${id}`)).body;
  const settled = (workflowId: string, count: number) =>
    waitFor(`${count} finished run(s)`, async () => {
      const runs = await runsOf(t, admin, workflowId);
      return runs.length >= count && runs.every((r) => r.status !== 'running') ? runs : null;
    });

  beforeAll(async () => {
    t = await startTestCloud(backend, {}, { automation: {} });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  }, SLOW);
  afterAll(async () => t?.stop());

  it('Contact Created (with a tag filter) and Contact Tag Added chain: each fires once, with its tag', async () => {
    const created = await publishWorkflow(t, admin, 'New VIP', {
      trigger: { type: 'contact_created', filters: { contactTags: { any: ['vip-new'] } } },
      steps: [{ id: 'tag', name: 'Mark', type: 'add_tag', config: { tags: ['welcomed'] } }],
    });
    const tagged = await publishWorkflow(t, admin, 'Welcomed → owner', {
      trigger: { type: 'contact_tag_added', filters: { tags: ['welcomed'] } },
      steps: [{ id: 'assign', name: 'Assign to Avery', type: 'assign_user', config: { userIds: [DEMO_USERS.receptionist2.id] } }],
    });
    const removed = await publishWorkflow(t, admin, 'Untagged', {
      trigger: { type: 'contact_tag_removed', filters: { tags: ['welcomed'] } },
      steps: [{ id: 'tag', name: 'Mark', type: 'add_tag', config: { tags: ['was-welcomed'] } }],
    });
    const vip = await contact({ tags: ['vip-new'] });
    const other = await contact({ tags: ['not-vip'] });
    await settled(created.id, 1);
    await settled(tagged.id, 1);
    expect((await getContact(vip.id)).tags).toEqual(expect.arrayContaining(['vip-new', 'welcomed']));
    expect((await getContact(vip.id)).assignedUserId).toBe(DEMO_USERS.receptionist2.id);
    expect((await getContact(other.id)).tags).toEqual(['not-vip']);
    await t.api(jordan, 'PATCH', `/v1/contacts/${vip.id}`, { tags: ['vip-new'] });
    await settled(removed.id, 1);
    expect((await getContact(vip.id)).tags).toEqual(expect.arrayContaining(['was-welcomed']));
    expect(await runsOf(t, admin, created.id)).toHaveLength(1);
    expect(await runsOf(t, admin, tagged.id)).toHaveLength(1);
  });

  it('a workflow never sets itself off: a tag its own run adds back is a loop, logged as a stopped run', async () => {
    const loop = await publishWorkflow(t, admin, 'Re-check', {
      trigger: { type: 'contact_tag_added', filters: { tags: ['recheck'] } },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        { id: 'off', name: 'Remove the tag', type: 'remove_tag', config: { tags: ['recheck'] } },
        { id: 'on', name: 'Add it back', type: 'add_tag', config: { tags: ['recheck'] } },
      ],
    });
    const c = await contact();
    await t.api(jordan, 'PATCH', `/v1/contacts/${c.id}`, { tags: ['recheck'] });
    const runs = await settled(loop.id, 2);
    expect(runs.map((r) => r.status).sort()).toEqual(['completed', 'stopped']);
    expect(runs.find((r) => r.status === 'stopped')!.reason).toBe('Not started: its own run set it off again (“Re-check” → “Re-check”) — a workflow loop, stopped here');
    expect((await getContact(c.id)).tags).toEqual(['recheck']);
    // A person adding the tag again (after removing it) does start a new run (and its loop is stopped again).
    await t.api(jordan, 'PATCH', `/v1/contacts/${c.id}`, { tags: [] });
    await t.api(jordan, 'PATCH', `/v1/contacts/${c.id}`, { tags: ['recheck'] });
    const after = await settled(loop.id, 4);
    expect(after.map((r) => r.status).sort()).toEqual(['completed', 'completed', 'stopped', 'stopped']);
  });

  it('a loop through two workflows (A sets off B, B sets off A) is stopped at A with the chain named', async () => {
    const settings = { allowReentry: true, stopOnResponse: false };
    const ping = await publishWorkflow(t, admin, 'Ping', {
      trigger: { type: 'contact_tag_added', filters: { tags: ['ping'] } }, settings,
      steps: [{ id: 'pong', name: 'Tag pong', type: 'add_tag', config: { tags: ['pong'] } }],
    });
    const pong = await publishWorkflow(t, admin, 'Pong', {
      trigger: { type: 'contact_tag_added', filters: { tags: ['pong'] } }, settings,
      steps: [
        { id: 'off', name: 'Untag ping', type: 'remove_tag', config: { tags: ['ping'] } },
        { id: 'on', name: 'Tag ping', type: 'add_tag', config: { tags: ['ping'] } },
      ],
    });
    const c = await contact();
    await t.api(jordan, 'PATCH', `/v1/contacts/${c.id}`, { tags: ['ping'] });
    const pings = await settled(ping.id, 2);
    await settled(pong.id, 1);
    expect(pings.map((r) => r.status).sort()).toEqual(['completed', 'stopped']);
    expect(pings.find((r) => r.status === 'stopped')!.reason).toBe(
      'Not started: a workflow loop (“Ping” → “Pong” → “Ping”) — this workflow set off a chain that came back to it; stopped here',
    );
    await new Promise((r) => setTimeout(r, 1000)); // nothing further happens (no condition to wait for: the chain ended)
    expect(await runsOf(t, admin, ping.id)).toHaveLength(2);
    expect(await runsOf(t, admin, pong.id)).toHaveLength(1);
  });

  it('a loop through a contact a workflow creates is seen too: the new contact’s events carry the run’s chain', async () => {
    const referred = phone();
    const intake = await publishWorkflow(t, admin, 'Intake', {
      trigger: { type: 'contact_tag_added', filters: { tags: ['referrer'] } }, settings: { allowReentry: true, stopOnResponse: false },
      // Creates the referred contact with the same tag: its tag event would set Intake off again.
      steps: [{ id: 'create', name: 'Create the referral', type: 'create_update_contact', config: { phone: referred, name: 'Referred friend', tags: ['referrer'] } }],
    });
    const c = await contact();
    await t.api(jordan, 'PATCH', `/v1/contacts/${c.id}`, { tags: ['referrer'] });
    const runs = await settled(intake.id, 2);
    expect(runs.map((r) => r.status).sort()).toEqual(['completed', 'stopped']);
    expect(runs.find((r) => r.status === 'stopped')!.reason).toBe('Not started: its own run set it off again (“Intake” → “Intake”) — a workflow loop, stopped here');
  });

  it('re-entry off lets a contact in once; on, every time', async () => {
    const step = { id: 'tag', name: 'Mark', type: 'add_tag' as const, config: { tags: ['entered'] } };
    const once = await publishWorkflow(t, admin, 'Once', { trigger: { type: 'manual', filters: {} }, steps: [step] });
    const again = await publishWorkflow(t, admin, 'Again', { trigger: { type: 'manual', filters: {} }, steps: [step], settings: { allowReentry: true, stopOnResponse: false } });
    const c = await contact();
    await enrolAndWait(t, admin, once.id, c.id);
    await t.api(admin, 'POST', `/v1/workflows/${once.id}/enrol`, { contactId: c.id });
    await enrolAndWait(t, admin, again.id, c.id);
    await enrolAndWait(t, admin, again.id, c.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf(t, admin, once.id)).toHaveLength(1);
    expect(await runsOf(t, admin, again.id)).toHaveLength(2);
  });

  it('Stop on Response: an inbound message from the contact stops their waiting runs (step removed), not others', async () => {
    const stopping = await publishWorkflow(t, admin, 'Nurture', {
      trigger: { type: 'manual', filters: {} },
      settings: { stopOnResponse: true, allowReentry: false },
      steps: [{ id: 'call', name: 'Follow-up call', type: 'manual_call', config: { assignToUserId: null } }],
    });
    const keeping = await publishWorkflow(t, admin, 'Keep going', {
      trigger: { type: 'manual', filters: {} },
      steps: [{ id: 'call', name: 'Follow-up call', type: 'manual_call', config: { assignToUserId: null } }],
    });
    const c = await contact();
    const a = await enrolAndWait(t, admin, stopping.id, c.id, { untilWaiting: true });
    const b = await enrolAndWait(t, admin, keeping.id, c.id, { untilWaiting: true });
    await write(t.cloud.db, DEMO_ACCOUNT_ID, async (uow) => {
      recordDomainEvent(uow, { accountId: DEMO_ACCOUNT_ID, type: 'message.inbound', contactId: c.id, payload: { channel: 'sms', from: c.phone } });
    });
    const stopped = await waitFor('the run to stop', async () => {
      const run = (await t.api(admin, 'GET', `/v1/workflows/${stopping.id}/runs/${a.id}`)).body;
      return run.status === 'stopped' ? run : null;
    });
    expect(stopped.reason).toMatch(/replied by sms \(Stop on Response\)/);
    expect(stopped.steps[0]).toMatchObject({ status: 'removed', reason: expect.stringMatching(/Stop on Response/) });
    expect((await t.api(admin, 'GET', `/v1/workflows/${keeping.id}/runs/${b.id}`)).body.status).toBe('waiting');
  });

  describe('Call Details', () => {
    let followUp: string;
    let booked: string;
    beforeAll(async () => {
      followUp = await dispositionId(t, admin, 'Follow Up');
      booked = await dispositionId(t, admin, 'Booked');
    });

    it('fires on set and on change; a change stops the runs of the previous disposition; the same one again starts nothing', async () => {
      const nurture = await publishWorkflow(t, admin, 'Follow-up sequence', {
        trigger: { type: 'call_details', filters: { dispositionIds: [followUp] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'call', name: 'Call back', type: 'manual_call', config: { assignToUserId: null } }],
      });
      const welcome = await publishWorkflow(t, admin, 'Booked', {
        trigger: { type: 'call_details', filters: { dispositionIds: [booked] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'tag', name: 'Tag booked', type: 'add_tag', config: { tags: ['booked-by-phone'] } }],
      });
      const caller = phone();
      const call = await inboundCall(t, caller, DEMO_NUMBERS.beverlyHillsMain.number);
      await endCall(t, call.sid, caller, DEMO_NUMBERS.beverlyHillsMain.number, 30);
      await t.api(jordan, 'PUT', `/v1/calls/${call.callId}/disposition`, { dispositionId: followUp });
      const [first] = await waitFor('the follow-up run to wait', async () => {
        const runs = await runsOf(t, admin, nurture.id);
        return runs.length === 1 && runs[0]!.status === 'waiting' ? runs : null;
      });
      await t.api(jordan, 'PUT', `/v1/calls/${call.callId}/disposition`, { dispositionId: booked });
      await settled(welcome.id, 1);
      const stoppedRun = await waitFor('the follow-up run to stop', async () => {
        const runs = await runsOf(t, admin, nurture.id);
        return runs[0]?.status === 'stopped' ? runs[0] : null;
      });
      expect(stoppedRun.id).toBe(first!.id);
      expect(stoppedRun.reason).toBe('The call\'s disposition changed from "Follow Up" to "Booked"');
      // Setting Booked again is no change; back to Follow Up does not restart the stopped sequence.
      await t.api(jordan, 'PUT', `/v1/calls/${call.callId}/disposition`, { dispositionId: booked });
      await t.api(jordan, 'PUT', `/v1/calls/${call.callId}/disposition`, { dispositionId: followUp });
      await new Promise((r) => setTimeout(r, 1000));
      expect(await runsOf(t, admin, nurture.id)).toHaveLength(1);
      expect(await runsOf(t, admin, welcome.id)).toHaveLength(1);
    });

    it('without a disposition filter fires when the call ends, by direction, duration, status, line and tags', async () => {
      const longInbound = await publishWorkflow(t, admin, 'Long inbound calls on the main line', {
        trigger: { type: 'call_details', filters: { direction: 'inbound', durationSeconds: { gte: 60 }, callStatus: ['answered'], phoneNumberIds: [DEMO_NUMBERS.beverlyHillsMain.id] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['long-call'] } }],
      });
      const missed = await publishWorkflow(t, admin, 'Missed VIP calls', {
        trigger: { type: 'call_details', filters: { callStatus: ['missed'], contactTags: { all: ['vip-caller'] } } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['missed-vip'] } }],
      });
      const blocked = await publishWorkflow(t, admin, 'Blocked calls', {
        trigger: { type: 'call_details', filters: { callStatus: ['blocked'] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['was-blocked'] } }],
      });
      const vip = await contact({ tags: ['vip-caller'] });
      // A long answered call on the main line: long-call only.
      const a = await inboundCall(t, vip.phone, DEMO_NUMBERS.beverlyHillsMain.number);
      await endCall(t, a.sid, vip.phone, DEMO_NUMBERS.beverlyHillsMain.number, 75);
      // A short call, another line, missed: missed-vip only.
      const b = await inboundCall(t, vip.phone, DEMO_NUMBERS.santaMonicaMain.number);
      await endCall(t, b.sid, vip.phone, DEMO_NUMBERS.santaMonicaMain.number, null);
      // A blocked caller: the call ends at once.
      const spammer = await contact();
      await t.api(jordan, 'PATCH', `/v1/contacts/${spammer.id}`, { dnd: { call: { inbound: true, outbound: false }, sms: { inbound: false, outbound: false }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false } } });
      const c = await inboundCall(t, spammer.phone, DEMO_NUMBERS.beverlyHillsMain.number);
      expect(c.twiml).toContain('<Reject');
      await settled(longInbound.id, 1);
      await settled(missed.id, 1);
      await settled(blocked.id, 1);
      await new Promise((r) => setTimeout(r, 500));
      expect((await runsOf(t, admin, longInbound.id)).map((r) => r.contactId)).toEqual([vip.id]);
      expect((await runsOf(t, admin, missed.id)).map((r) => r.contactId)).toEqual([vip.id]);
      expect((await runsOf(t, admin, blocked.id)).map((r) => r.contactId)).toEqual([spammer.id]);
      expect((await getContact(vip.id)).tags).toEqual(expect.arrayContaining(['long-call', 'missed-vip']));
    });

    it('a voicemail left after the call ended fires the voicemail workflows once; the missed-call ones do not fire again', async () => {
      const voicemail = await publishWorkflow(t, admin, 'Voicemails', {
        trigger: { type: 'call_details', filters: { callStatus: ['voicemail'] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['left-voicemail'] } }],
      });
      const missedAny = await publishWorkflow(t, admin, 'Any missed call', {
        trigger: { type: 'call_details', filters: { callStatus: ['missed'] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['missed-any'] } }],
      });
      const caller = await contact();
      const call = await inboundCall(t, caller.phone, DEMO_NUMBERS.beverlyHillsMain.number);
      await endCall(t, call.sid, caller.phone, DEMO_NUMBERS.beverlyHillsMain.number, null);
      const missedRuns = await waitFor('the missed-call run', async () => {
        const runs = (await runsOf(t, admin, missedAny.id)).filter((r) => r.contactId === caller.id);
        return runs.length === 1 && runs[0]!.status === 'completed' ? runs : null;
      });
      expect(await runsOf(t, admin, voicemail.id)).toEqual([]);
      const recording = () =>
        t.webhook(`${webhookPaths.recording}?kind=voicemail`, {
          AccountSid: ACCOUNT_SID, CallSid: call.sid, RecordingSid: `RE${'7'.repeat(32)}`, RecordingUrl: 'https://api.twilio.com/rec/RE7', RecordingStatus: 'completed', RecordingDuration: '12',
        });
      await recording();
      await recording(); // Twilio retries a callback: no second event.
      const [vm] = await settled(voicemail.id, 1);
      expect(vm!.contactId).toBe(caller.id);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await runsOf(t, admin, voicemail.id)).toHaveLength(1);
      expect((await runsOf(t, admin, missedAny.id)).filter((r) => r.contactId === caller.id).map((r) => r.id)).toEqual(missedRuns.map((r) => r.id));
      expect((await getContact(caller.id)).tags).toEqual(expect.arrayContaining(['left-voicemail', 'missed-any']));
    });

    it('a voicemail that lands before the call has ended is evaluated with the call’s end, not before it', async () => {
      const voicemail = await publishWorkflow(t, admin, 'Voicemails, counted at the end', {
        trigger: { type: 'call_details', filters: { callStatus: ['voicemail'] } },
        settings: { allowReentry: true, stopOnResponse: false },
        steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['voicemail-at-end'] } }],
      });
      const caller = await contact();
      const call = await inboundCall(t, caller.phone, DEMO_NUMBERS.beverlyHillsMain.number);
      // The recording's callback can beat the call's own status callback (a caller who hangs up during the message).
      await t.webhook(`${webhookPaths.recording}?kind=voicemail`, {
        AccountSid: ACCOUNT_SID, CallSid: call.sid, RecordingSid: `RE${'8'.repeat(32)}`, RecordingUrl: 'https://api.twilio.com/rec/RE8', RecordingStatus: 'completed', RecordingDuration: '7',
      });
      await new Promise((r) => setTimeout(r, 1000));
      const mine = async () => (await runsOf(t, admin, voicemail.id)).filter((r) => r.contactId === caller.id);
      expect(await mine()).toEqual([]); // the call has not ended: nothing is evaluated yet
      await endCall(t, call.sid, caller.phone, DEMO_NUMBERS.beverlyHillsMain.number, null);
      await waitFor('the voicemail run', async () => ((await mine()).length === 1 ? true : null));
      await new Promise((r) => setTimeout(r, 500));
      expect(await mine()).toHaveLength(1);
    });
  });

  it('Inbound Webhook: a per-workflow URL with a secret; fields become custom values; Create Contact never duplicates', async () => {
    const workflow = await publishWorkflow(t, admin, 'External dialer', {
      trigger: { type: 'inbound_webhook', filters: {} },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        { id: 'contact', name: 'Find or create the caller', type: 'create_update_contact', config: { phone: '{{inbound_webhook.from}}', name: '{{inbound_webhook.caller_name}}', tags: ['external-dialer'] } },
        {
          id: 'branch', name: 'Direction?', type: 'if_else',
          branches: [{ id: 'in', name: 'Inbound', conditions: { match: 'all', rules: [{ field: 'inbound_webhook.direction', operator: 'equals', value: 'inbound' }] }, steps: [{ id: 'tag-in', name: 'Tag inbound', type: 'add_tag', config: { tags: ['ext-inbound'] } }] }],
          elseSteps: [{ id: 'tag-out', name: 'Tag outbound', type: 'add_tag', config: { tags: ['ext-outbound'] } }],
        },
      ],
    });
    const issued = await t.api(admin, 'POST', `/v1/workflows/${workflow.id}/webhook-secret`);
    expect(issued.status).toBe(201);
    const path = new URL(issued.body.url).pathname;
    expect(path).toBe(`/hooks/workflows/${workflow.id}/${issued.body.secret}`);
    expect((await t.api(jordan, 'POST', `/v1/workflows/${workflow.id}/webhook-secret`)).status).toBe(403);
    const from = phone();
    const post = (body: unknown, p = path) => t.api(undefined, 'POST', p, body);
    expect((await post({ from, direction: 'inbound', caller_name: 'Dana Reyes' })).status).toBe(202);
    expect((await post({ from: from.replace('+1', '1 '), direction: 'outbound' })).status).toBe(202);
    expect((await post({ from }, `/hooks/workflows/${workflow.id}/${'x'.repeat(32)}`)).status).toBe(404);
    expect((await post(['not', 'an', 'object'])).status).toBe(400);
    const runs = await settled(workflow.id, 2);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    const ids = new Set(runs.map((r) => r.contactId));
    expect(ids.size).toBe(1);
    const saved = await getContact([...ids][0]!);
    expect(saved).toMatchObject({ phone: from, name: 'Dana Reyes' });
    expect(saved.tags).toEqual(expect.arrayContaining(['external-dialer', 'ext-inbound', 'ext-outbound']));
    const found = (await t.api(jordan, 'GET', `/v1/contacts?search=${encodeURIComponent(from)}`)).body;
    expect(found).toHaveLength(1);
    // Paused: the sender is told plainly (409), nothing is queued for later.
    expect((await t.api(admin, 'POST', `/v1/workflows/${workflow.id}/pause`)).status).toBe(200);
    const refused = await post({ from, direction: 'inbound' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail ?? refused.body.title).toMatch(/paused/);
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf(t, admin, workflow.id)).toHaveLength(2);
  });
});
