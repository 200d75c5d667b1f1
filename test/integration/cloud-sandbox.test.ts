import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { webhookPaths } from '../../src/cloud/index';
import { DEMO_BLOCKED_CALLER, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { SignalingDevice } from '../support/signaling-device';

afterAll(stopTestPostgres);

describe.each(backends)('cloud + Twilio sandbox end to end on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  const devices: Record<'jordan' | 'admin' | 'avery', SignalingDevice> = {} as never;

  beforeAll(async () => {
    sandbox = await startSandbox({ ...SANDBOX_TWILIO_CREDENTIALS, callbackRetryBaseMs: 50, sayMsPerChar: 2 });
    t = await startTestCloud(backend, {
      twilio: { ...SANDBOX_TWILIO_CREDENTIALS, restBaseUrl: sandbox.restBaseUrl, restCaPem: sandbox.caPem, accessTokenTtlSeconds: 3600 },
    });
    for (const n of Object.values(DEMO_NUMBERS)) {
      sandbox.control.addNumber({ phoneNumber: n.number, voiceUrl: t.cloud.publicUrl + webhookPaths.inbound, statusCallback: t.cloud.publicUrl + webhookPaths.status });
    }
    for (const [name, who] of [['jordan', 'receptionist'], ['admin', 'admin'], ['avery', 'receptionist2']] as const) {
      const session = await t.login(who);
      const token = (await t.api(session.accessToken, 'POST', '/v1/twilio/token')).body.token as string;
      devices[name] = await SignalingDevice.connect(sandbox, DEMO_USERS[who].id, token);
    }
  });
  afterAll(async () => {
    for (const d of Object.values(devices)) d?.close();
    await sandbox?.stop();
    await t?.stop();
  });

  const cloudCall = async (sid: string) =>
    (await t.cloud.db.query<{ status: string; rang_user_ids: string[] }>(`SELECT status, rang_user_ids FROM calls WHERE twilio_call_sid = $1`, [sid]))[0];
  const invitesTotal = (): number => Object.values(devices).reduce((n, d) => n + d.invites.length, 0);

  it("a call to Jordan's direct line rings only Jordan's Device; unanswered, it becomes a missed call with a notification", async () => {
    const before = invitesTotal();
    const sid = sandbox.control.placeInboundCall({ from: '+13105552007', to: DEMO_NUMBERS.jordanDirect.number, hangupAfterMs: 60_000 });
    const invite = await devices.jordan.nextInvite();
    expect(invite.parameters.From).toBe('+13105552007');
    expect(decodeURIComponent(invite.parameters.Params ?? '')).toContain('callId=call_');
    expect((await cloudCall(sid))?.rang_user_ids).toEqual([DEMO_USERS.receptionist.id]);
    const missed = t.cloud.hub.nextEvent((e) => e.m?.some((m) => m.msg.type === 'notification') ?? false);
    devices.jordan.send('reject', { callsid: invite.callsid });
    // Rejected by everyone it rang: voicemail, then the caller hangs up.
    await sandbox.control.waitFor((e) => e.type === 'twiml.record' || (e.type === 'twiml.say' && e.callSid === sid), 15_000);
    sandbox.control.partyHangsUp(sid);
    await missed;
    await sandbox.control.waitForCallStatus(sid, 'completed', 15_000);
    expect(invitesTotal() - before).toBe(1);
    const notes = await t.cloud.db.query(`SELECT user_id FROM notifications WHERE dedupe_key = $1`, [`missed-call:${sid}`]);
    expect(notes).toEqual([{ user_id: DEMO_USERS.receptionist.id }]);
  });

  it('the Beverly Hills main line rings every Beverly Hills user (ring all) and not Santa Monica', async () => {
    const before = { jordan: devices.jordan.invites.length, admin: devices.admin.invites.length, avery: devices.avery.invites.length };
    const sid = sandbox.control.placeInboundCall({ from: '+13105552014', to: DEMO_NUMBERS.beverlyHillsMain.number, hangupAfterMs: 60_000 });
    const [j, a] = await Promise.all([devices.jordan.nextInvite(), devices.admin.nextInvite()]);
    devices.jordan.send('reject', { callsid: j.callsid });
    devices.admin.send('reject', { callsid: a.callsid });
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === sid && String(e.text).includes('leave a message'), 15_000);
    sandbox.control.partyHangsUp(sid);
    await sandbox.control.waitForCallStatus(sid, 'completed', 15_000);
    expect(devices.avery.invites.length).toBe(before.avery);
    expect(devices.jordan.invites.length - before.jordan).toBe(1);
    expect(devices.admin.invites.length - before.admin).toBe(1);
  });

  it('a contact with inbound DND is rejected and rings no one', async () => {
    const before = invitesTotal();
    const sid = sandbox.control.placeInboundCall({ from: DEMO_BLOCKED_CALLER, to: DEMO_NUMBERS.beverlyHillsMain.number });
    await sandbox.control.waitFor((e) => e.type === 'call.ended' && e.callSid === sid, 15_000);
    expect(invitesTotal()).toBe(before);
    expect(await cloudCall(sid)).toMatchObject({ status: 'rejected', rang_user_ids: [] });
  });
});
