import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import type { Sandbox } from '../../src/sandbox/index';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { ACCOUNT_SID, enrolAndWait, publishWorkflow } from '../support/automation';
import { createContact, startCommsCloud } from '../support/comms';
import { SignalingDevice } from '../support/signaling-device';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const JORDAN_PHONE = '+13105558101';

/** The workflow Call action end to end: the real `twilio` client → the sandbox's scripted phones → the cloud's webhooks → the execution log. */
describe.each(backends)('Call action on %s (ring the user, whisper, keypress, bridge, AMD)', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let admin: string;
  const jordan = DEMO_USERS.receptionist;
  beforeAll(async () => {
    ({ t, sandbox, stop } = await startCommsCloud(backend));
    admin = (await t.login('admin')).accessToken;
    await t.cloud.db.query(`UPDATE users SET phone = $2 WHERE id = $1`, [jordan.id, JORDAN_PHONE]);
  }, SLOW);
  afterAll(async () => stop?.());

  const callWorkflow = (name: string, call: Record<string, unknown>, stopOnResponse = false) =>
    publishWorkflow(t, admin, name, {
      trigger: { type: 'manual', filters: {} },
      settings: { allowReentry: true, stopOnResponse },
      steps: [
        { id: 'call', name: 'Missed lead call', type: 'call', config: { timeoutSeconds: 20, fromNumberId: DEMO_NUMBERS.beverlyHillsMain.id, ringUser: 'phone', ...call } },
        { id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['called'] } },
      ],
    } as never);
  const tagsOf = async (contactId: string): Promise<string[]> => (await t.api(admin, 'GET', `/v1/contacts/${contactId}`)).body.tags;

  it('missed lead: rings the assigned user, whispers, bridges the contact on a keypress; outcome on the run and in the contact’s history', async () => {
    const phone = '+13105557101';
    sandbox.control.setPartyBehaviour(JORDAN_PHONE, { answerAfterMs: 50, helloMs: 0, script: [{ waitFor: 'reply', press: '1' }] });
    sandbox.control.setPartyBehaviour(phone, { answerAfterMs: 100, helloMs: 300, hangupAfterMs: 3000 });
    const contact = await createContact(t, admin, { name: 'Lena Lead', phone, assignedUserId: jordan.id });
    const wf = await callWorkflow('Missed lead', { whisper: 'You have a new lead, {{contact.name}}. Press any button to connect.' });
    const run = await enrolAndWait(t, admin, wf.id, contact, { timeoutMs: 60_000 });
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ status: 'completed', reason: expect.stringMatching(/^Connected Jordan Lee \(\+13105558101\) with the contact; they talked for \d+ s\.$/) });
    const out = run.steps[0]!.output as { callSid: string; contactLeg: string; answeredBy: string; callId: string };
    expect(out).toMatchObject({ contactLeg: 'human', answeredBy: 'human' });
    expect(run.steps[1]).toMatchObject({ status: 'completed' });
    // What Jordan heard: the whisper with the contact's name, once (the key stopped the repeats).
    const heard = sandbox.control.report(out.callSid).heard!;
    expect(heard.say).toEqual(['You have a new lead, Lena Lead. Press any button to connect.', 'Connecting you now.']);
    const history = await t.cloud.db.query<{ source: string; direction: string; status: string; to_number: string; user_id: string; answered: boolean; twilio_call_sid: string }>(
      `SELECT source, direction, status, to_number, user_id, answered_at IS NOT NULL AS answered, twilio_call_sid FROM calls WHERE contact_id = $1`, [contact],
    );
    expect(history).toEqual([{ source: 'workflow', direction: 'outbound', status: 'completed', to_number: phone, user_id: jordan.id, answered: true, twilio_call_sid: out.callSid }]);
  }, 90_000);

  it('by default rings the assigned user’s softphone (their client identity), from the practice’s number; unanswered, the contact is not called', async () => {
    const session = await t.login('receptionist');
    const device = await SignalingDevice.connect(sandbox, jordan.id, (await t.api(session.accessToken, 'POST', '/v1/twilio/token')).body.token as string);
    try {
      const phone = '+13105557108';
      const contact = await createContact(t, admin, { name: 'Sofia Softphone', phone, assignedUserId: jordan.id });
      const wf = await callWorkflow('Softphone lead', { ringUser: 'softphone', timeoutSeconds: 5 });
      const running = enrolAndWait(t, admin, wf.id, contact, { timeoutMs: 60_000 });
      const invite = await device.nextInvite(30_000);
      expect(invite.parameters).toMatchObject({ From: DEMO_NUMBERS.beverlyHillsMain.number, To: `client:${jordan.id}` });
      // The ringing panel says what it is: the contact and the whisper ride along as custom parameters.
      const custom = Object.fromEntries(new URLSearchParams(String(invite.parameters.Params ?? '')));
      expect(custom).toMatchObject({ source: 'workflow', contactName: 'Sofia Softphone', contactPhone: phone, whisper: 'You have a new lead, Sofia Softphone. Press any button to connect.' });
      expect(custom.workflowCallId).toMatch(/^call_/);
      const run = await running;
      expect(run.steps[0]).toMatchObject({ status: 'completed', reason: expect.stringMatching(/^Rang Jordan Lee’s softphone: no one answered within 5 s/) });
      expect(run.steps[0]!.output).toMatchObject({ ringNumber: `client:${jordan.id}`, contactLeg: 'no_answer' });
      const history = await t.cloud.db.query<{ status: string; user_id: string; other_leg_sid: string | null }>(`SELECT status, user_id, other_leg_sid FROM calls WHERE contact_id = $1`, [contact]);
      expect(history).toEqual([{ status: 'no-answer', user_id: jordan.id, other_leg_sid: null }]);
    } finally {
      device.close();
    }
  }, 90_000);

  it('Stop on Response × Disable Voicemail Detect: a voicemail pickup stops the workflow only with detection off', async () => {
    sandbox.control.setPartyBehaviour(JORDAN_PHONE, { answerAfterMs: 0, helloMs: 0 });
    const results: Record<string, { status: string; contactLeg: string; tagged: boolean }> = {};
    for (const [label, disableVoicemailDetect, phone] of [['detect on', false, '+13105557102'], ['detect off', true, '+13105557103']] as const) {
      sandbox.control.setPartyBehaviour(phone, { answer: 'voicemail', greetingMs: 3000, voicemailMaxMs: 800 });
      const contact = await createContact(t, admin, { name: `Vera ${label}`, phone, assignedUserId: jordan.id });
      const wf = await callWorkflow(`Voicemail ${label}`, { connectAfterKeypress: false, disableVoicemailDetect }, true);
      const run = await enrolAndWait(t, admin, wf.id, contact, { timeoutMs: 60_000 });
      results[label] = { status: run.status, contactLeg: (run.steps[0]!.output as { contactLeg: string }).contactLeg, tagged: (await tagsOf(contact)).includes('called') };
    }
    // ON/OFF: the voicemail is detected, not a response — the contact goes on to the next step.
    expect(results['detect on']).toEqual({ status: 'completed', contactLeg: 'voicemail', tagged: true });
    // ON/ON: nothing can tell the voicemail from a person — it counts as a response and the workflow stops.
    expect(results['detect off']).toEqual({ status: 'completed', contactLeg: 'human', tagged: false });
  }, 120_000);

  it('its webhooks refuse forged requests, and never dial for a run that is not live', async () => {
    const connect = '/twilio/workflow-call/connect?run=run_nope&step=call&from=%2B13105550100&timeout=20&amd=1';
    expect((await t.webhook(connect, { AccountSid: ACCOUNT_SID, CallSid: 'CA1' }, 'forged')).status).toBe(403);
    expect((await t.webhook(connect, { AccountSid: ACCOUNT_SID, CallSid: 'CA1' }, null)).status).toBe(403);
    const unknown = await t.webhook(connect, { AccountSid: ACCOUNT_SID, CallSid: 'CA1' });
    expect(unknown.text).toContain('<Say>This call is no longer needed. Goodbye.</Say><Hangup/>');
    expect(unknown.text).not.toContain('<Dial');
  });

  it('no one to ring, a busy Company Phone, DND, no phone and an invalid number are said plainly', async () => {
    const wf = await callWorkflow('Plain words', {});
    const unassigned = await createContact(t, admin, { name: 'Una Assigned', phone: '+13105557104' });
    expect((await enrolAndWait(t, admin, wf.id, unassigned)).steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/unassigned and no Company Phone is set/) });
    await t.api(admin, 'PATCH', '/v1/automation/settings', { companyPhone: '+13105557199' });
    sandbox.control.setPartyBehaviour('+13105557199', { answer: 'busy' });
    expect((await enrolAndWait(t, admin, wf.id, unassigned, { timeoutMs: 60_000 })).steps[0]).toMatchObject({
      status: 'completed', reason: 'Rang the Company Phone (+13105557199): the line was busy. The contact was not called.',
    });
    await t.cloud.db.query(`UPDATE users SET phone = NULL WHERE id = $1`, [DEMO_USERS.receptionist2.id]);
    const noUserPhone = await createContact(t, admin, { name: 'Avery’s Contact', phone: '+13105557105', assignedUserId: DEMO_USERS.receptionist2.id });
    expect((await enrolAndWait(t, admin, wf.id, noUserPhone)).steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/^Avery Patel, the contact’s assigned user, has no phone number/) });
    const dnd = await createContact(t, admin, { name: 'Do Not Call', phone: '+13105557106', assignedUserId: jordan.id });
    await t.api(admin, 'PATCH', `/v1/contacts/${dnd}`, { dnd: { call: { inbound: false, outbound: true }, sms: { inbound: false, outbound: false }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false } } });
    expect((await enrolAndWait(t, admin, wf.id, dnd)).steps[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/Do Not Disturb on for outgoing calls/) });
    const noPhone = await createContact(t, admin, { name: 'Mail Only', email: 'mo@example.com', assignedUserId: jordan.id });
    expect((await enrolAndWait(t, admin, wf.id, noPhone)).steps[0]).toMatchObject({ status: 'skipped', reason: 'The contact has no phone number' });
    // The API refuses invalid numbers; one stored before that rule (or imported) is still said plainly.
    const invalid = await createContact(t, admin, { name: 'Bad Number', phone: '+13105557107', assignedUserId: jordan.id });
    await t.cloud.db.query(`UPDATE contacts SET phone = '+11234567890' WHERE id = $1`, [invalid]);
    expect((await enrolAndWait(t, admin, wf.id, invalid)).steps[0]).toMatchObject({ status: 'error', reason: 'The contact’s phone number +11234567890 is not a valid phone number' });
    const dialled = sandbox.control.calls().map((c) => c.to);
    for (const n of ['+13105557104', '+13105557105', '+13105557106', '+11234567890']) expect(dialled).not.toContain(n);
  }, 120_000);
});
