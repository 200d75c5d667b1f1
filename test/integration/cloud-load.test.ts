/**
 * The cloud under load (issue #13 item 9): webhooks and sync pushes do not starve each other, a
 * request over its class's limit is refused at once with 503 + Retry-After, and nothing is lost —
 * the desktop's own sync engine, refused, comes back after Retry-After and its change is applied
 * exactly once. Mechanisms only; the figures are in test/bench/cloud-load.bench.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS, DEMO_PASSWORD, DEMO_USERS, SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { CloudError, createCloudClient } from '../../src/main/cloud-client/cloud-client';
import { systemClock } from '../../src/main/os/system-clock';
import { createMemoryVault } from '../../src/main/session/credential-vault';
import { SessionService } from '../../src/main/session/session-service';
import { SyncEngine } from '../../src/main/sync/sync-engine';
import { MemorySyncStore } from '../../src/main/testing/memory-sync-store';
import type { Mutation } from '../../src/shared/cloud/sync';
import type { SyncStatus } from '../../src/shared/ipc/sync-status';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const POOL_SIZE = 3;
let n = 0;
const sid = (): string => `CA${Date.now().toString(16).padStart(16, '0')}${(n++).toString(16).padStart(16, '0')}`;
const inbound = (t: TestCloud) =>
  t.webhook(webhookPaths.inbound, {
    CallSid: sid(), AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: '+13105552007', To: DEMO_NUMBERS.beverlyHillsMain.number,
    CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
  });

describe.each(backends)('cloud under load on %s', (backend) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(backend, {
      load: { poolSize: POOL_SIZE, webhookPoolSize: 2, webhook: {}, sync: { concurrency: 1, maxQueue: 0, maxWaitMs: 10_000 }, api: {} },
    });
  });
  afterAll(async () => t?.stop());

  const contactNamed = async (name: string): Promise<number> =>
    Number((await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts WHERE name = $1`, [name]))[0]!.n);

  it('refuses a push over the sync limit at once with 503 + Retry-After, still answers webhooks, and applies the retried push exactly once', async () => {
    const token = (await t.login('receptionist')).accessToken;
    const client = createCloudClient({ baseUrl: t.cloud.url });
    const mutation: Mutation = { type: 'contact.create', idempotencyKey: `load-${Date.now()}`, payload: { name: 'Refused Then Kept', phone: '+13105557301' } };

    const occupy = await t.cloud.admission.gates.sync.acquire(); // the sync class is full
    const refused = await client.push(token, [mutation]).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(CloudError);
    expect(refused).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect((refused as CloudError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect((refused as CloudError).retryable).toBe(true);
    // A ringing call is still answered meanwhile: webhooks are another class.
    const answer = await inbound(t);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<Dial');
    expect(await contactNamed('Refused Then Kept')).toBe(0); // nothing of the refused push was applied
    occupy();

    const first = await client.push(token, [mutation]);
    expect(first.results[0]).toMatchObject({ status: 'applied', replayed: false });
    const again = await client.push(token, [mutation]);
    expect(again.results[0]).toMatchObject({ status: 'applied', replayed: true });
    expect(await contactNamed('Refused Then Kept')).toBe(1);
  });

  it("the desktop's sync engine, refused by a busy cloud, waits for Retry-After, retries by itself and its change lands once", async () => {
    const cloud = createCloudClient({ baseUrl: t.cloud.url });
    const session = new SessionService({ cloud, vault: createMemoryVault(), clock: systemClock, deviceName: 'load test' });
    await session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
    const store = new MemorySyncStore();
    const statuses: SyncStatus[] = [];
    const engine = new SyncEngine({ store, cloud, session, clock: systemClock, onStatus: (s) => statuses.push(s) });
    store.enqueue({ type: 'contact.create', idempotencyKey: `engine-${Date.now()}`, payload: { name: 'Queued Through Overload', phone: '+13105557302' } });

    const occupy = await t.cloud.admission.gates.sync.acquire();
    const refusedBefore = t.cloud.admission.gates.sync.refused;
    engine.start();
    await expect.poll(() => statuses.some((s) => s.lastError?.includes('busy')), { timeout: 15_000 }).toBe(true);
    expect(t.cloud.admission.gates.sync.refused).toBeGreaterThan(refusedBefore);
    expect(store.outbox).toHaveLength(1); // kept, waiting for Retry-After
    occupy();
    await expect.poll(() => statuses.at(-1), { timeout: 20_000 }).toMatchObject({ state: 'online', lastError: null, pending: 0 });
    engine.stop();
    expect(store.outbox).toHaveLength(0);
    expect(await contactNamed('Queued Through Overload')).toBe(1);
    await session.signOut();
  });

  it.runIf(backend === 'postgres')('answers a webhook while every connection of the main pool is taken (webhooks have their own pool)', async () => {
    // PGlite has one connection; there webhook work goes first instead (src/cloud/db/priority-lock.test.ts).
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let open = 0;
    const held = Array.from({ length: POOL_SIZE }, () =>
      t.cloud.db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        open += 1;
        await released;
      }),
    );
    try {
      await expect.poll(() => open, { timeout: 10_000 }).toBe(POOL_SIZE);
      const answer = await inbound(t);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('<Dial');
    } finally {
      release();
      await Promise.all(held);
    }
  });
});
