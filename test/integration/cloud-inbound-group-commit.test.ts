/**
 * Group commit of inbound calls (issue #21, telephony/inbound-writer.ts): webhooks arriving together
 * are written in one statement, yet each is answered only once its row is committed, each row keeps
 * its own change number, a replayed CallSid (even in the same batch) stores one row, one bad row
 * fails only its own webhook, and closing with a batch in flight stores every row it took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingCall } from '../../src/shared/cloud/realtime';
import { DEMO_NUMBERS, SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { EVENTS_CHANNEL, type ChangeEvent } from '../../src/cloud/db/unit-of-work';
import { InboundCallWriter, type InboundCallRow } from '../../src/cloud/telephony/inbound-writer';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

let n = 0;
const sid = (): string => `CA${Date.now().toString(16).padStart(16, '0')}${(n++).toString(16).padStart(16, '0')}`;

describe.each(backends)('inbound calls group-committed on %s', (backend) => {
  let t: TestCloud;
  let number: { id: string; account_id: string; location_id: string | null; number: string };
  beforeAll(async () => {
    // Load shedding off for webhooks (admission.ts; tested on its own): 80 at once on a CI machine with
    // every tier running waited past the 1.5 s a webhook may wait, and one got its fast 503 (session 31).
    t = await startTestCloud(backend, { load: { poolSize: 10, webhookPoolSize: 6, webhook: { maxWaitMs: 60_000 }, sync: {}, api: {} } });
    number = (await t.cloud.db.query<typeof number>(`SELECT id, account_id, location_id, number FROM phone_numbers WHERE number = $1`, [DEMO_NUMBERS.beverlyHillsMain.number]))[0]!;
  });
  afterAll(async () => t?.stop());

  const row = (over: Partial<InboundCallRow> = {}): InboundCallRow => {
    const callSid = over.callSid ?? sid();
    const callId = over.callId ?? `call_gc${(n++).toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const screenPop: IncomingCall = {
      callId, twilioCallSid: callSid, from: '+13105552007', to: number.number, phoneNumberId: number.id, phoneNumberName: 'Main', whisperMessage: null,
      locationId: number.location_id, contact: null,
    };
    return {
      callId, accountId: number.account_id, locationId: number.location_id, callSid, from: '+13105552007', to: number.number, phoneNumberId: number.id,
      contactId: null, ring: ['user_a', 'user_b'], status: 'ringing', source: 'softphone', screenPop, ...over,
    };
  };
  const stored = async (sids: string[]) =>
    t.cloud.db.query<{ id: string; twilio_call_sid: string; seq: number }>(`SELECT id, twilio_call_sid, seq FROM calls WHERE twilio_call_sid = ANY($1::text[]) ORDER BY seq`, [sids]);

  it('concurrent signed webhooks are all answered with their <Dial>, each stored once with its own increasing change number, in fewer statements than calls', async () => {
    const sids = Array.from({ length: 40 }, () => sid());
    const before = (await (await fetch(t.cloud.url + '/readyz')).json()) as { inboundCalls: { batches: number; rows: number } };
    const webhook = (callSid: string) => t.webhook(webhookPaths.inbound, {
      CallSid: callSid, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: '+13105552007', To: DEMO_NUMBERS.beverlyHillsMain.number,
      CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
    });
    // Every CallSid twice (Twilio retries): the replay gets the same answer and stores nothing more.
    const answers = await Promise.all([...sids, ...sids].map(webhook));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('<Dial');
    }
    for (let i = 0; i < sids.length; i++) expect(answers[i]!.text).toBe(answers[i + sids.length]!.text);
    const rows = await stored(sids);
    expect(rows.map((r) => r.twilio_call_sid).sort()).toEqual([...sids].sort());
    const seqs = rows.map((r) => Number(r.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    const after = (await (await fetch(t.cloud.url + '/readyz')).json()) as { inboundCalls: { batches: number; rows: number } };
    expect(after.inboundCalls.rows - before.inboundCalls.rows).toBeGreaterThanOrEqual(sids.length);
    // Some webhooks shared a statement (a loaded machine may batch more or fewer, never none of 80 at once).
    expect(after.inboundCalls.batches - before.inboundCalls.batches).toBeLessThan(sids.length * 2);
  });

  it('one batch: one sequence step, each row its own number in order, screen-pops in notifications under 8000 bytes with the cursor once', async () => {
    const events: ChangeEvent[] = [];
    const sizes: number[] = [];
    const stop = await t.cloud.db.listen(EVENTS_CHANNEL, (payload) => {
      const event = JSON.parse(payload) as ChangeEvent;
      if (event.a === number.account_id && event.m?.some((m) => m.msg.type === 'incoming-call' && m.msg.call.from === '+13105559001')) events.push(event);
      sizes.push(Buffer.byteLength(payload));
    });
    try {
      const writer = new InboundCallWriter(t.cloud.db);
      const rows = Array.from({ length: 30 }, () => row({ from: '+13105559001' }));
      for (const r of rows) r.screenPop.from = '+13105559001';
      const cursor0 = Number((await t.cloud.db.query<{ change_seq: number }>(`SELECT change_seq FROM accounts WHERE id = $1`, [number.account_id]))[0]!.change_seq);
      const results = await Promise.all(rows.map((r) => writer.record(r)));
      expect(results.map((r) => r.id)).toEqual(rows.map((r) => r.callId));
      expect(writer.stats).toMatchObject({ batches: 1, rows: 30, fallbacks: 0 });
      const inDb = await stored(rows.map((r) => r.callSid));
      expect(inDb.map((r) => r.id)).toEqual(rows.map((r) => r.callId)); // numbered in the order taken
      expect(inDb.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => cursor0 + 1 + i));
      await expect.poll(() => events.flatMap((e) => e.m ?? []).length, { timeout: 10_000 }).toBe(30);
      expect(events.length).toBeGreaterThan(1); // 30 screen-pops do not fit one NOTIFY
      expect(Math.max(...sizes)).toBeLessThan(8000);
      expect(events.filter((e) => e.s !== undefined).map((e) => e.s)).toEqual([cursor0 + 30]);
      await writer.close();
    } finally {
      await stop();
    }
  });

  it('a replay inside the same batch shares the first one\'s row; one bad row fails only its own webhook', async () => {
    const writer = new InboundCallWriter(t.cloud.db);
    const good = Array.from({ length: 5 }, () => row());
    const replay = row({ callSid: good[0]!.callSid });
    const bad = row({ phoneNumberId: 'pn_does_not_exist' }); // a foreign key PostgreSQL refuses
    const results = await Promise.allSettled([...good, replay, bad].map((r) => writer.record(r)));
    expect(results.slice(0, 5).map((r) => r.status)).toEqual(Array(5).fill('fulfilled'));
    expect(results[5]).toMatchObject({ status: 'fulfilled', value: { id: good[0]!.callId } });
    expect(results[6]!.status).toBe('rejected');
    expect(writer.stats.fallbacks).toBe(1);
    expect((await stored([...good, bad].map((r) => r.callSid))).map((r) => r.id).sort()).toEqual(good.map((r) => r.callId).sort());
    await writer.close();
  });

  it('close with a batch in flight stores every row it took before it resolves, and refuses new rows with a 503', async () => {
    const writer = new InboundCallWriter(t.cloud.db);
    const rows = Array.from({ length: 20 }, () => row());
    const pending = rows.map((r) => writer.record(r));
    await writer.close();
    // Everything taken is committed by the time close() resolves (no answer is sent for a row not stored).
    expect((await stored(rows.map((r) => r.callSid))).length).toBe(20);
    await expect(Promise.all(pending)).resolves.toHaveLength(20);
    await expect(writer.record(row())).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
