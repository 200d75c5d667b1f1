import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import type { Sandbox } from '../../src/sandbox/index';
import { callPolicyPath } from '../../src/shared/cloud/call-policy';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { ACCOUNT_SID, enrolAndWait, publishWorkflow, waitFor } from '../support/automation';
import { createContact, startCommsCloud } from '../support/comms';
import { SignalingDevice } from '../support/signaling-device';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const JORDAN_PHONE = '+13105558101';
const JAMAICA = '+18765550123';
const TORONTO = '+14165550123';

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
    const connect = '/twilio/workflow-call/connect?run=run_nope&step=call&from=%2B13105550100&to=%2B13105557101&timeout=20&amd=1';
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

  describe('the practice’s call policy (toll fraud: anyone who may add a contact may enrol it)', () => {
    let jordanToken: string;
    beforeAll(async () => {
      jordanToken = (await t.login('receptionist')).accessToken;
    });
    afterEach(async () => {
      await t.cloud.db.query(`DELETE FROM outbound_dials`);
      await t.api(admin, 'PUT', callPolicyPath, { allowedCountries: null, outboundCallsPerUserHour: 60 });
      await t.cloud.db.query(`UPDATE users SET phone = $2 WHERE id = $1`, [jordan.id, JORDAN_PHONE]);
      await t.api(admin, 'PATCH', '/v1/automation/settings', { companyPhone: null });
    });
    const placedCalls = (): string[] => sandbox.control.calls().map((c) => c.to);
    const callsOf = (contactId: string) => t.cloud.db.query(`SELECT id FROM calls WHERE contact_id = $1`, [contactId]);

    it('a contact in a country the policy does not allow is not called: the step errs with the policy’s words and no leg rings', async () => {
      sandbox.control.setPartyBehaviour(JORDAN_PHONE, { answerAfterMs: 50, helloMs: 0 });
      const wf = await callWorkflow('Call lead back', { connectAfterKeypress: false });
      const before = placedCalls().length;
      // The receptionist's half of the attack: a contact with a Jamaican number (+1 876 is not the US), enrolled.
      const contact = await createContact(t, jordanToken, { name: 'Fraud Target', phone: JAMAICA, assignedUserId: jordan.id });
      const run = await enrolAndWait(t, jordanToken, wf.id, contact, { timeoutMs: 60_000 });
      expect(run.steps[0]).toMatchObject({
        status: 'error',
        reason: `Calls to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy. The contact (${JAMAICA}) was not called.`,
      });
      expect(placedCalls().slice(before)).toEqual([]);
      expect(await callsOf(contact)).toEqual([]);
      expect(await t.cloud.db.query(`SELECT details->>'country' AS country FROM audit_log WHERE action = 'call.dial_refused' AND actor_user_id = $1`, [jordan.id])).toContainEqual({ country: 'JM' });
    }, 90_000);

    it('the first leg is checked too: a user’s own phone or the Company Phone abroad is not rung', async () => {
      const wf = await callWorkflow('Ring abroad', { connectAfterKeypress: false });
      const before = placedCalls().length;
      await t.cloud.db.query(`UPDATE users SET phone = $2 WHERE id = $1`, [jordan.id, JAMAICA]);
      const assigned = await createContact(t, admin, { name: 'Ana Assigned', phone: '+13105557110', assignedUserId: jordan.id });
      expect((await enrolAndWait(t, admin, wf.id, assigned)).steps[0]).toMatchObject({
        status: 'error', reason: `Calls to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy. Jordan Lee (${JAMAICA}) was not rung and the contact was not called.`,
      });
      await t.api(admin, 'PATCH', '/v1/automation/settings', { companyPhone: TORONTO });
      const unassigned = await createContact(t, admin, { name: 'Uma Unassigned', phone: '+13105557111' });
      expect((await enrolAndWait(t, admin, wf.id, unassigned)).steps[0]).toMatchObject({
        status: 'error', reason: expect.stringMatching(/^Calls to Canada \(CA\) are not allowed .* the Company Phone \(\+14165550123\) was not rung and the contact was not called\.$/),
      });
      expect(placedCalls().slice(before)).toEqual([]);
      // Allowed by the admin: the same call goes through.
      await t.api(admin, 'PUT', callPolicyPath, { allowedCountries: ['US', 'CA'] });
      sandbox.control.setPartyBehaviour(TORONTO, { answer: 'busy' });
      expect((await enrolAndWait(t, admin, wf.id, unassigned, { timeoutMs: 60_000 })).steps[0]).toMatchObject({ status: 'completed', reason: expect.stringMatching(/^Rang the Company Phone \(\+14165550123\): the line was busy/) });
    }, 120_000);

    it('each call counts once against the hourly cap of the user it rings; past the cap the step errs and nothing is dialled', async () => {
      await t.api(admin, 'PUT', callPolicyPath, { outboundCallsPerUserHour: 1 });
      sandbox.control.setPartyBehaviour(JORDAN_PHONE, { answer: 'busy' });
      const wf = await callWorkflow('Capped', { connectAfterKeypress: false });
      const first = await createContact(t, jordanToken, { name: 'First Lead', phone: '+13105557112', assignedUserId: jordan.id });
      expect((await enrolAndWait(t, jordanToken, wf.id, first, { timeoutMs: 60_000 })).steps[0]).toMatchObject({ status: 'completed' });
      expect(await t.cloud.db.query(`SELECT user_id, kind, to_number FROM outbound_dials`)).toEqual([{ user_id: jordan.id, kind: 'call', to_number: '+13105557112' }]);
      const before = placedCalls().length;
      const second = await createContact(t, jordanToken, { name: 'Second Lead', phone: '+13105557113', assignedUserId: jordan.id });
      expect((await enrolAndWait(t, jordanToken, wf.id, second)).steps[0]).toMatchObject({
        status: 'error', reason: 'Jordan Lee has had 1 outbound call in the last hour, the practice’s limit (the workflow calls that ring them count too). The call was not placed: an admin can raise the limit under Settings → Call policy.',
      });
      expect(placedCalls().slice(before)).toEqual([]);
      expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM outbound_dials`)).toEqual([{ n: 1 }]);
    }, 120_000);

    it('a number changed while the user’s leg rang is not dialled: only the number the policy allowed is', async () => {
      sandbox.control.setPartyBehaviour(JORDAN_PHONE, { answerAfterMs: 1500, helloMs: 0, script: [{ waitFor: 'reply', press: '1' }] });
      const wf = await callWorkflow('Switch number', {});
      const contact = await createContact(t, jordanToken, { name: 'Switch Number', phone: '+13105557114', assignedUserId: jordan.id });
      const running = enrolAndWait(t, jordanToken, wf.id, contact, { timeoutMs: 60_000 });
      await waitFor('the user’s leg to ring', async () => (await t.cloud.db.query<{ status: string }>(`SELECT status FROM calls WHERE contact_id = $1`, [contact]))[0]?.status === 'ringing');
      expect((await t.api(jordanToken, 'PATCH', `/v1/contacts/${contact}`, { phone: JAMAICA })).status).toBe(200);
      const run = await running;
      const out = run.steps[0]!.output as { callSid: string };
      expect(sandbox.control.report(out.callSid).heard!.say).toContain('The contact’s phone number changed since this call started. Goodbye.');
      expect(placedCalls()).not.toContain(JAMAICA);
    }, 90_000);
  });
});
