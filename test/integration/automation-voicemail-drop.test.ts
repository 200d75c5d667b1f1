import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import type { Sandbox } from '../../src/sandbox/index';
import { toneWav } from '../../src/sandbox/testing/audio-fixtures';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { createContact, oneStepWorkflow, startCommsCloud, upload } from '../support/comms';

afterAll(stopTestPostgres);

const SLOW = 300_000;

describe.each(backends)('Voicemail drop on %s (a call with AMD through the sandbox’s scripted voicemail box)', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let admin: string;
  beforeAll(async () => {
    ({ t, sandbox, stop } = await startCommsCloud(backend));
    admin = (await t.login('admin')).accessToken;
  }, SLOW);
  afterAll(async () => stop?.());

  it('no-show: the uploaded recording plays after the greeting and lands whole in the mailbox; recorded in the contact’s history', async () => {
    const phone = '+13105557001';
    sandbox.control.setPartyBehaviour(phone, { answer: 'voicemail', greetingMs: 3000 });
    const audio = await upload(t, admin, 'We would love to reschedule.wav', toneWav(1500), 'audio/wav');
    expect(audio.status).toBe(201);
    const contact = await createContact(t, admin, { name: 'Nora No-Show', phone });
    const wf = await publishWorkflow(t, admin, 'No-show', oneStepWorkflow({
      id: 'vm', name: 'Voicemail', type: 'voicemail_drop', config: { audioMediaId: audio.body.id, audioUrl: audio.body.url, fromNumberId: DEMO_NUMBERS.beverlyHillsMain.id },
    }));
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps[0]).toMatchObject({ status: 'completed', reason: expect.stringMatching(/Voicemail call placed to \+13105557001 from \+13105550100/) });
    const sid = (run.steps[0]!.output as { callSid: string }).callSid;
    await sandbox.control.waitForCallStatus(sid, 'completed', 30_000);
    const report = sandbox.control.report(sid);
    expect(report.answeredBy).toBe('machine_end_beep');
    expect(report.voicemail?.recorded).toEqual([expect.objectContaining({ kind: 'play', complete: true })]);
    const history = await t.cloud.db.query<{ channel: string; provider_id: string; status: string }>(`SELECT channel, provider_id, status FROM outbound_messages WHERE contact_id = $1`, [contact]);
    expect(history).toEqual([{ channel: 'voicemail', provider_id: sid, status: 'sent' }]);
  }, 60_000);

  it('a deleted recording, a contact without a phone and DND for calls are said plainly; nothing is dialled', async () => {
    const audio = await upload(t, admin, 'gone.wav', toneWav(500), 'audio/wav');
    // Deleted after publishing (a deleted file cannot be chosen in a workflow that is saved or published).
    const wf = await publishWorkflow(t, admin, 'Gone', oneStepWorkflow({ id: 'vm', name: 'Voicemail', type: 'voicemail_drop', config: { audioMediaId: audio.body.id, audioUrl: audio.body.url } }));
    expect((await t.api(admin, 'DELETE', `/v1/media/${audio.body.id}`)).status).toBe(204);
    const contact = await createContact(t, admin, { name: 'Gina Gone', phone: '+13105557002' });
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/deleted from the media library/) });
    const noPhone = await createContact(t, admin, { name: 'Mail Only', email: 'm@example.com' });
    expect((await enrolAndWait(t, admin, wf.id, noPhone)).steps[0]).toMatchObject({ status: 'skipped', reason: 'The contact has no phone number' });
    const dnd = await createContact(t, admin, { name: 'Do Not Call', phone: '+13105557003' });
    await t.api(admin, 'PATCH', `/v1/contacts/${dnd}`, { dnd: { call: { inbound: false, outbound: true }, sms: { inbound: false, outbound: false }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false } } });
    expect((await enrolAndWait(t, admin, wf.id, dnd)).steps[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/Do Not Disturb on for outgoing calls/) });
    expect(sandbox.control.calls().filter((c) => c.to === '+13105557002' || c.to === '+13105557003')).toEqual([]);
  });
});
