import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BLOCKED_CALLER, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { webhookPaths } from '../../src/cloud/index';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { backends, callSid, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const ACCOUNT = SANDBOX_TWILIO_CREDENTIALS.accountSid;
const KNOWN_CALLER = '+13105552007'; // seeded contact #1

describe.each(backends)('Twilio webhooks on %s', (backend) => {
  let t: TestCloud;
  let jordan: string;
  let avery: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    jordan = (await t.login('receptionist')).accessToken;
    avery = (await t.login('receptionist2')).accessToken;
  });
  afterAll(async () => t?.stop());

  const rows = (sql: string, params: unknown[] = []) => t.cloud.db.query(sql, params);
  const callBySid = async (sid: string) => (await t.api(jordan, 'GET', `/v1/calls/${(await rows(`SELECT id FROM calls WHERE twilio_call_sid = $1`, [sid]))[0]!.id}`)).body;
  const inbound = (sid: string, from: string, to: string) => t.webhook(webhookPaths.inbound, { CallSid: sid, AccountSid: ACCOUNT, From: from, To: to, CallStatus: 'ringing', Direction: 'inbound' });
  const status = (params: Record<string, string>) => t.webhook(webhookPaths.status, { AccountSid: ACCOUNT, ...params });

  describe('signature checks', () => {
    it('rejects unsigned, forged and re-targeted webhooks and writes nothing', async () => {
      const sid = callSid();
      const params = { CallSid: sid, AccountSid: ACCOUNT, From: KNOWN_CALLER, To: DEMO_NUMBERS.beverlyHillsMain.number };
      for (const signature of [null, '', 'Zm9yZ2Vk', (await import('twilio')).default.getExpectedTwilioSignature('wrong-token-000000', t.cloud.publicUrl + webhookPaths.inbound, params),
        (await import('twilio')).default.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, t.cloud.publicUrl + webhookPaths.outbound, params)]) {
        const res = await t.webhook(webhookPaths.inbound, params, signature);
        expect(res.status).toBe(403);
        expect(JSON.parse(res.text).code).toBe('TWILIO_SIGNATURE_INVALID');
      }
      // A signed body that was tampered with after signing.
      const url = t.cloud.publicUrl + webhookPaths.inbound;
      const sig = (await import('twilio')).default.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, url, params);
      const tampered = await t.webhook(webhookPaths.inbound, { ...params, From: '+13105550199' }, sig);
      expect(tampered.status).toBe(403);
      for (const path of Object.values(webhookPaths)) {
        expect((await t.webhook(path, params, 'bad')).status, path).toBe(403);
      }
      expect(await rows(`SELECT 1 FROM calls WHERE twilio_call_sid = $1`, [sid])).toHaveLength(0);
    });
    it('refuses a correctly signed webhook for another Twilio account, and bad params', async () => {
      const res = await inbound(callSid(), KNOWN_CALLER, DEMO_NUMBERS.beverlyHillsMain.number).then(() =>
        t.webhook(webhookPaths.inbound, { CallSid: callSid(), AccountSid: 'AC11111111111111111111111111111111', From: KNOWN_CALLER, To: DEMO_NUMBERS.beverlyHillsMain.number }));
      expect(res.status).toBe(403);
      const bad = await t.webhook(webhookPaths.status, { AccountSid: ACCOUNT, CallSid: callSid(), From: 'x', To: 'y', CallStatus: 'exploded' });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.text).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('inbound routing', () => {
    it('ring all: rings every user of the number location, with whisper, recording and ring timeout; screen-pops them', async () => {
      const socket = await t.socket(jordan);
      await socket.next('hello');
      const sid = callSid();
      const res = await inbound(sid, KNOWN_CALLER, DEMO_NUMBERS.beverlyHillsMain.number);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(res.text).toMatch(/<Dial [^>]*timeout="20"/);
      expect(res.text).toContain('record="record-from-answer-dual"');
      expect(res.text).toContain(`<Identity>${DEMO_USERS.admin.id}</Identity>`);
      expect(res.text).toContain(`<Identity>${DEMO_USERS.receptionist.id}</Identity>`);
      expect(res.text).not.toContain(DEMO_USERS.receptionist2.id);
      expect(res.text).toMatch(/<Client [^>]*url="[^"]*\/twilio\/voice\/whisper\?callId=call_/);
      const pop = await socket.next('incoming-call', (m) => m.call.twilioCallSid === sid);
      expect(pop.call).toMatchObject({ from: KNOWN_CALLER, phoneNumberName: DEMO_NUMBERS.beverlyHillsMain.name, whisperMessage: 'Call from the Beverly Hills main line' });
      expect(pop.call.contact?.name).toBeTruthy();
      const call = await callBySid(sid);
      expect(call).toMatchObject({ direction: 'inbound', status: 'ringing', phoneNumberId: DEMO_NUMBERS.beverlyHillsMain.id });
      expect(call.rangUserIds.sort()).toEqual([DEMO_USERS.admin.id, DEMO_USERS.receptionist.id].sort());

      const whisper = await t.webhook(`${webhookPaths.whisper}?callId=${call.id}`, { CallSid: callSid(), AccountSid: ACCOUNT, From: KNOWN_CALLER, To: `client:${DEMO_USERS.receptionist.id}` });
      expect(whisper.text).toContain('<Say>Call from the Beverly Hills main line</Say>');
      socket.close();
    });

    it('assigned member: rings only that member; a replayed webhook creates no second call', async () => {
      const sid = callSid();
      for (let i = 0; i < 5; i++) {
        const res = await inbound(sid, '+13105550142', DEMO_NUMBERS.jordanDirect.number);
        expect(res.text.match(/<Client /g)).toHaveLength(1);
        expect(res.text).toContain(`<Identity>${DEMO_USERS.receptionist.id}</Identity>`);
        expect(res.text).not.toContain('whisper');
      }
      expect(await rows(`SELECT 1 FROM calls WHERE twilio_call_sid = $1`, [sid])).toHaveLength(1);
    });

    it('a contact with inbound call DND is rejected and rings no one', async () => {
      const socket = await t.socket(jordan);
      await socket.next('hello');
      const sid = callSid();
      const res = await inbound(sid, DEMO_BLOCKED_CALLER, DEMO_NUMBERS.beverlyHillsMain.number);
      expect(res.text).toContain('<Reject');
      expect(res.text).not.toContain('<Dial');
      const call = await callBySid(sid);
      expect(call).toMatchObject({ status: 'rejected', rangUserIds: [] });
      // The call row's own poke arrives; no screen-pop for it ever does.
      await socket.next('changed', (m) => m.entities.includes('calls'));
      expect(socket.messages.some((m) => m.type === 'incoming-call' && m.call.twilioCallSid === sid)).toBe(false);
      socket.close();
    });

    it('unknown numbers are not in service; forwarding dials the forward number', async () => {
      const res = await inbound(callSid(), KNOWN_CALLER, '+13105550188');
      expect(res.text).toContain('not in service');
      const admin = (await t.login('admin')).accessToken;
      await t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { forwardingNumber: '+13105550177' });
      const fwdSid = callSid();
      const fwd = await inbound(fwdSid, KNOWN_CALLER, DEMO_NUMBERS.santaMonicaMain.number);
      expect(fwd.text).toMatch(/<Number[^>]*>\+13105550177<\/Number>/);
      // Handled outside the softphone: reports count it as external.
      expect(await rows(`SELECT source, report_status FROM calls WHERE twilio_call_sid = $1`, [fwdSid])).toEqual([{ source: 'external', report_status: 'external' }]);
      await t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { forwardingNumber: null, callConnect: true });
      const ring = await inbound(callSid(), KNOWN_CALLER, DEMO_NUMBERS.santaMonicaMain.number);
      const callId = /callId=(call_[a-z0-9]+)/.exec(ring.text)![1]!;
      const whisper = await t.webhook(`${webhookPaths.whisper}?callId=${callId}`, { CallSid: callSid(), AccountSid: ACCOUNT, From: KNOWN_CALLER, To: 'client:x' });
      expect(whisper.text).toMatch(/<Gather[^>]*numDigits="1"/);
      await t.api(admin, 'PATCH', `/v1/numbers/${DEMO_NUMBERS.santaMonicaMain.id}`, { callConnect: false });
    });
  });

  describe('status and recording callbacks', () => {
    it('an answered call: replayed callbacks (5x each) leave one row with the right state', async () => {
      const sid = callSid();
      const leg = callSid();
      await inbound(sid, KNOWN_CALLER, DEMO_NUMBERS.beverlyHillsMain.number);
      for (let i = 0; i < 5; i++) {
        expect((await status({ CallSid: leg, ParentCallSid: sid, From: KNOWN_CALLER, To: `client:${DEMO_USERS.receptionist.id}`, CallStatus: 'ringing' })).status).toBe(204);
      }
      for (let i = 0; i < 5; i++) {
        await status({ CallSid: leg, ParentCallSid: sid, From: KNOWN_CALLER, To: `client:${DEMO_USERS.receptionist.id}`, CallStatus: 'in-progress' });
      }
      let call = await callBySid(sid);
      expect(call).toMatchObject({ status: 'in-progress', userId: DEMO_USERS.receptionist.id });
      const seqAfterAnswer = call.seq;
      for (let i = 0; i < 5; i++) {
        await t.webhook(webhookPaths.recording, { AccountSid: ACCOUNT, CallSid: sid, RecordingSid: 'RE00000000000000000000000000000001', RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingStatus: 'completed', RecordingDuration: '42' });
        await status({ CallSid: sid, From: KNOWN_CALLER, To: DEMO_NUMBERS.beverlyHillsMain.number, CallStatus: 'completed', CallDuration: '61' });
        await status({ CallSid: leg, ParentCallSid: sid, From: KNOWN_CALLER, To: `client:${DEMO_USERS.receptionist.id}`, CallStatus: 'completed' });
      }
      call = await callBySid(sid);
      expect(call).toMatchObject({ status: 'completed', durationSeconds: 61, userId: DEMO_USERS.receptionist.id });
      expect(call.seq).toBeGreaterThan(seqAfterAnswer);
      expect(call.recordings).toEqual([{ sid: 'RE00000000000000000000000000000001', url: 'https://api.twilio.com/rec/RE1', durationSeconds: 42, status: 'completed', kind: 'call' }]);
      expect(await rows(`SELECT 1 FROM calls WHERE twilio_call_sid IN ($1, $2)`, [sid, leg])).toHaveLength(1);
      expect(await rows(`SELECT 1 FROM notifications WHERE dedupe_key = $1`, [`missed-call:${sid}`])).toHaveLength(0);
      // A late replay of an earlier status does not move the call backwards.
      await status({ CallSid: leg, ParentCallSid: sid, From: KNOWN_CALLER, To: `client:${DEMO_USERS.receptionist.id}`, CallStatus: 'ringing' });
      expect((await callBySid(sid)).status).toBe('completed');
    });

    it('a missed call goes to voicemail and notifies each user it rang exactly once', async () => {
      const socket = await t.socket(jordan);
      await socket.next('hello');
      const sid = callSid();
      const ring = await inbound(sid, KNOWN_CALLER, DEMO_NUMBERS.beverlyHillsMain.number);
      const callId = /callId=(call_[a-z0-9]+)/.exec(ring.text)![1]!;
      for (let i = 0; i < 5; i++) {
        const vm = await t.webhook(`${webhookPaths.dialComplete}?callId=${callId}`, { AccountSid: ACCOUNT, CallSid: sid, DialCallStatus: 'no-answer' });
        expect(vm.text).toContain('<Record');
        expect(vm.text).toContain('kind=voicemail');
      }
      for (let i = 0; i < 5; i++) {
        await t.webhook(`${webhookPaths.recording}?kind=voicemail`, { AccountSid: ACCOUNT, CallSid: sid, RecordingSid: 'RE00000000000000000000000000000002', RecordingUrl: 'https://api.twilio.com/rec/RE2', RecordingStatus: 'completed', RecordingDuration: '9' });
        await status({ CallSid: sid, From: KNOWN_CALLER, To: DEMO_NUMBERS.beverlyHillsMain.number, CallStatus: 'completed', CallDuration: '30' });
      }
      const call = await callBySid(sid);
      expect(call).toMatchObject({ status: 'missed', durationSeconds: 30, userId: null });
      expect(call.recordings).toHaveLength(1);
      expect(call.recordings[0]).toMatchObject({ kind: 'voicemail', durationSeconds: 9 });
      const notes = await rows(`SELECT user_id FROM notifications WHERE dedupe_key = $1 ORDER BY user_id`, [`missed-call:${sid}`]);
      expect(notes.map((n) => n.user_id)).toEqual([DEMO_USERS.admin.id, DEMO_USERS.receptionist.id].sort());
      const pushed = await socket.next('notification', (m) => m.notification.redirect === `call:${callId}`);
      expect(pushed.notification).toMatchObject({ title: 'Missed call', userId: DEMO_USERS.receptionist.id, readAt: null });
      expect(pushed.notification.seq).toBeGreaterThan(0);
      socket.close();
    });

    it('a caller who hangs up while ringing is a missed call too', async () => {
      const sid = callSid();
      await inbound(sid, KNOWN_CALLER, DEMO_NUMBERS.jordanDirect.number);
      for (let i = 0; i < 5; i++) await status({ CallSid: sid, From: KNOWN_CALLER, To: DEMO_NUMBERS.jordanDirect.number, CallStatus: 'completed', CallDuration: '4' });
      expect((await callBySid(sid)).status).toBe('missed');
      expect(await rows(`SELECT 1 FROM notifications WHERE dedupe_key = $1`, [`missed-call:${sid}`])).toHaveLength(1);
    });

    it('a status callback for a call we never saw still creates one record', async () => {
      const sid = callSid();
      for (let i = 0; i < 5; i++) await status({ CallSid: sid, From: '+13105550166', To: DEMO_NUMBERS.santaMonicaMain.number, CallStatus: 'completed', CallDuration: '12', Direction: 'inbound' });
      expect(await rows(`SELECT status, duration_seconds FROM calls WHERE twilio_call_sid = $1`, [sid])).toEqual([{ status: 'completed', duration_seconds: 12 }]);
      expect((await status({ CallSid: callSid(), From: '+13105550166', To: '+13105550155', CallStatus: 'completed' })).status).toBe(204);
    });
  });

  describe('outbound TwiML', () => {
    const outbound = (params: Record<string, string>) => t.webhook(webhookPaths.outbound, { AccountSid: ACCOUNT, CallSid: callSid(), From: `client:${DEMO_USERS.receptionist.id}`, ...params });
    it("uses the user's own number as caller ID, or an account number they chose", async () => {
      const own = await outbound({ To: '+13105552000' });
      expect(own.text).toMatch(new RegExp(`<Dial [^>]*callerId="\\${DEMO_NUMBERS.jordanDirect.number}"`));
      expect(own.text).toMatch(/<Number[^>]*>\+13105552000<\/Number>/);
      const chosen = await outbound({ To: '+13105552000', CallerId: DEMO_NUMBERS.santaMonicaMain.number });
      expect(chosen.text).toContain(`callerId="${DEMO_NUMBERS.santaMonicaMain.number}"`);
      const foreign = await outbound({ To: '+13105552000', CallerId: '+13105550199' });
      expect(foreign.text).toContain('not one of your practice numbers');
      expect(foreign.text).not.toContain('<Dial');
      // Avery has no inbound number: the account's first number is used.
      const avery = await t.webhook(webhookPaths.outbound, { AccountSid: ACCOUNT, CallSid: callSid(), From: `client:${DEMO_USERS.receptionist2.id}`, To: '+13105552000' });
      expect(avery.text).toContain('<Dial');
      const calls = await rows(`SELECT user_id, direction, from_number FROM calls WHERE direction = 'outbound' AND to_number = '+13105552000' ORDER BY created_at`);
      expect(calls.map((c) => c.user_id)).toEqual(expect.arrayContaining([DEMO_USERS.receptionist.id, DEMO_USERS.receptionist2.id]));
    });
    it('refuses anything but a valid E.164 number, and unknown clients', async () => {
      for (const to of ['12345', '+1555', '3105552000', '+1 310 555 2000', 'client:usr_demo_admin', '+999999999999']) {
        const res = await outbound({ To: to });
        expect(res.status).toBe(200);
        expect(res.text, to).not.toContain('<Dial');
        expect(res.text).toContain('<Hangup/>');
      }
      const ghost = await t.webhook(webhookPaths.outbound, { AccountSid: ACCOUNT, CallSid: callSid(), From: 'client:usr_ghost', To: '+13105552000' });
      expect(ghost.text).not.toContain('<Dial');
    });
  });

  describe('in-call REST actions', () => {
    it('pause/resume recording, transfer and hang up go to Twilio for the user on the call', async () => {
      const sid = callSid();
      const leg = callSid();
      const ring = await inbound(sid, KNOWN_CALLER, DEMO_NUMBERS.beverlyHillsMain.number);
      const callId = /callId=(call_[a-z0-9]+)/.exec(ring.text)![1]!;
      await status({ CallSid: leg, ParentCallSid: sid, From: KNOWN_CALLER, To: `client:${DEMO_USERS.receptionist.id}`, CallStatus: 'in-progress' });
      t.rest.calls.length = 0;
      expect((await t.api(avery, 'POST', `/v1/calls/${callId}/hangup`)).status).toBe(403);
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/recording`, { action: 'pause' })).status).toBe(200);
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/recording`, { action: 'resume' })).status).toBe(200);
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/recording`, { action: 'stop' })).status).toBe(400);
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/transfer`, { toNumber: 'nope' })).status).toBe(400);
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/transfer`, { toUserId: DEMO_USERS.receptionist2.id })).status).toBe(200);
      // A cold transfer hands the call to the colleague: it is theirs now (reports count it for them).
      expect(await rows(`SELECT user_id, transferred_from_user_id FROM calls WHERE id = $1`, [callId])).toEqual([
        { user_id: DEMO_USERS.receptionist2.id, transferred_from_user_id: DEMO_USERS.receptionist.id },
      ]);
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/hangup`)).status).toBe(403);
      expect((await t.api(avery, 'POST', `/v1/calls/${callId}/hangup`)).status).toBe(200);
      expect(t.rest.calls).toEqual([
        { method: 'setRecordingStatus', sid, args: 'paused' },
        { method: 'setRecordingStatus', sid, args: 'in-progress' },
        { method: 'updateCall', sid, args: { twiml: expect.stringContaining(`<Client>${DEMO_USERS.receptionist2.id}</Client>`) } },
        { method: 'updateCall', sid, args: { status: 'completed' } },
      ]);
      t.rest.failWith = Object.assign(new Error('boom'), { status: 500 });
      const failed = await t.api(avery, 'POST', `/v1/calls/${callId}/hangup`);
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe('TWILIO_REQUEST_FAILED');
      t.rest.failWith = undefined;
      await status({ CallSid: sid, From: KNOWN_CALLER, To: DEMO_NUMBERS.beverlyHillsMain.number, CallStatus: 'completed', CallDuration: '20' });
      const ended = await t.api(avery, 'POST', `/v1/calls/${callId}/hangup`);
      expect(ended.status).toBe(409);
      expect(ended.body.code).toBe('CALL_NOT_ACTIVE');
    });

    it('the user who answered a moment ago can act on the call before Twilio’s answer callback arrives (Twilio says who is connected); anyone else cannot', async () => {
      const sid = callSid();
      const ring = await inbound(sid, KNOWN_CALLER, DEMO_NUMBERS.beverlyHillsMain.number);
      const callId = /callId=(call_[a-z0-9]+)/.exec(ring.text)![1]!;
      const rang = (await rows(`SELECT rang_user_ids FROM calls WHERE id = $1`, [callId]))[0]!.rang_user_ids as string[];
      expect(rang).toContain(DEMO_USERS.receptionist.id);
      await status({ CallSid: sid, From: KNOWN_CALLER, To: DEMO_NUMBERS.beverlyHillsMain.number, CallStatus: 'in-progress' });
      t.rest.calls.length = 0;
      // Not connected (per Twilio): refused, and Twilio was asked.
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/recording`, { action: 'pause' })).status).toBe(403);
      // Connected: allowed although the cloud has not recorded who answered yet.
      t.rest.connected.set(sid, [DEMO_USERS.receptionist.id]);
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/recording`, { action: 'pause' })).status).toBe(200);
      expect(t.rest.calls).toEqual([
        { method: 'connectedClients', sid, args: null },
        { method: 'connectedClients', sid, args: null },
        { method: 'setRecordingStatus', sid, args: 'paused' },
      ]);
      // During the line's whisper Twilio has no current recording yet (404): the pause waits for it.
      t.rest.calls.length = 0;
      const notYet = () => Object.assign(new Error('The requested resource was not found'), { status: 404 });
      t.rest.recordingFailures.push(notYet(), notYet());
      expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/recording`, { action: 'resume' })).status).toBe(200);
      expect(t.rest.calls.filter((c) => c.method === 'setRecordingStatus')).toEqual([{ method: 'setRecordingStatus', sid, args: 'in-progress' }]);
      // A user the call never rang is refused without asking Twilio.
      expect(rang).not.toContain(DEMO_USERS.receptionist2.id);
      t.rest.calls.length = 0;
      t.rest.connected.set(sid, [DEMO_USERS.receptionist2.id]);
      expect((await t.api(avery, 'POST', `/v1/calls/${callId}/recording`, { action: 'pause' })).status).toBe(403);
      expect(t.rest.calls).toEqual([]);
      t.rest.connected.delete(sid);
    });

    it('sends a ringing call to the number’s voicemail for someone it rings, and only while it rings', async () => {
      const sid = callSid();
      const ring = await inbound(sid, KNOWN_CALLER, DEMO_NUMBERS.beverlyHillsMain.number);
      const callId = /callId=(call_[a-z0-9]+)/.exec(ring.text)![1]!;
      const rang = await rows(`SELECT rang_user_ids FROM calls WHERE id = $1`, [callId]);
      const rangIds = rang[0]!.rang_user_ids as string[];
      t.rest.calls.length = 0;
      if (!rangIds.includes(DEMO_USERS.receptionist2.id)) {
        expect((await t.api(avery, 'POST', `/v1/calls/${callId}/voicemail`)).status).toBe(403);
      }
      expect(rangIds).toContain(DEMO_USERS.receptionist.id);
      const sent = await t.api(jordan, 'POST', `/v1/calls/${callId}/voicemail`);
      expect(sent.status).toBe(200);
      expect(t.rest.calls).toEqual([{ method: 'updateCall', sid, args: { twiml: expect.stringContaining('<Record') } }]);
      await status({ CallSid: sid, From: KNOWN_CALLER, To: DEMO_NUMBERS.beverlyHillsMain.number, CallStatus: 'completed', CallDuration: '9' });
      const late = await t.api(jordan, 'POST', `/v1/calls/${callId}/voicemail`);
      expect(late.status).toBe(409);
      expect((await t.api(jordan, 'POST', `/v1/calls/call_nope/voicemail`)).status).toBe(404);
    });
  });
});
