/**
 * Beyond the load it can answer in time, the cloud refuses webhooks fast (issue #21): when the
 * inbound writer falls behind (here: its account row held, as by a stalled database), newcomers get
 * 503 + Retry-After at once although webhook slots are still free — not a slow answer after the
 * backlog — and Twilio retries them. Nothing answered 200 is missing from the database, and nothing
 * refused was stored. Mechanism only; the rates are in test/bench/cloud-load.bench.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

let n = 0;
const sid = (): string => `CA${Date.now().toString(16).padStart(16, '0')}${(n++).toString(16).padStart(16, '0')}`;

describe.each(backends)('webhooks beyond the accepted load on %s', (backend) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(backend, { load: { poolSize: 4, webhookPoolSize: 2, webhook: { maxWaitMs: 500 }, sync: {}, api: {} } });
  });
  afterAll(async () => t?.stop());

  const inbound = (callSid: string) =>
    t.webhook(webhookPaths.inbound, {
      CallSid: callSid, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: '+13105552007', To: DEMO_NUMBERS.beverlyHillsMain.number,
      CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
    });

  /** Holds the practice's account row (PostgreSQL) or the one connection (PGlite) until `release` is called. */
  async function stallWriter(): Promise<() => Promise<void>> {
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      await client.query('BEGIN');
      await client.query(`SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE`, [DEMO_ACCOUNT_ID]);
      return async () => {
        await client.query('COMMIT');
        await client.end();
      };
    }
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const holding = new Promise<void>((r) => (started = r));
    const done = t.cloud.db.transaction(async () => {
      started();
      await held;
    });
    await holding;
    return async () => {
      release();
      await done;
    };
  }

  it('refuses newcomers at once with 503 + Retry-After while the writer is stalled; every 200 is stored, no 503 is', async () => {
    // A few answered first: the gate knows the class's time per answer.
    for (let i = 0; i < 5; i++) expect((await inbound(sid())).status).toBe(200);
    const gate = t.cloud.admission.gates.webhook;
    const refusedBefore = gate.refused;

    const release = await stallWriter();
    const sent: { callSid: string; answer: Promise<{ status: number; headers: Headers }> }[] = [];
    try {
      // One webhook every 20 ms until the gate refuses (the stall shows in its time per answer).
      for (let i = 0; i < 300 && gate.refused < refusedBefore + 3; i++) {
        const callSid = sid();
        const answer = inbound(callSid);
        sent.push({ callSid, answer });
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(gate.refused).toBeGreaterThanOrEqual(refusedBefore + 3);
      expect(gate.inFlight).toBeLessThan(gate.limits.concurrency); // refused with slots still free
      // The refusals arrive while the writer is still stalled: they do not wait for the database.
      await Promise.any(sent.map(async ({ answer }) => ((await answer).status === 503 ? true : Promise.reject(new Error('answered')))));
    } finally {
      await release();
    }

    const answers = await Promise.all(sent.map(async ({ callSid, answer }) => ({ callSid, ...(await answer) })));
    const ok = answers.filter((a) => a.status === 200).map((a) => a.callSid);
    const refused = answers.filter((a) => a.status === 503);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(ok.length + refused.length).toBe(answers.length);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const stored = await t.cloud.db.query<{ twilio_call_sid: string }>(`SELECT twilio_call_sid FROM calls WHERE twilio_call_sid = ANY($1::text[])`, [answers.map((a) => a.callSid)]);
    expect(stored.map((r) => r.twilio_call_sid).sort()).toEqual([...ok].sort());

    // Once the writer has caught up, webhooks are answered again.
    await expect.poll(() => gate.inFlight, { timeout: 30_000 }).toBe(0);
    expect((await inbound(sid())).status).toBe(200);
  });
});
