/**
 * Cloud API benchmark (prints figures; not a timed test). Run: npx tsx test/bench/cloud.bench.ts
 *   BENCH_WEBHOOKS=4000 BENCH_CONCURRENCY=32 BENCH_BACKENDS=postgres,pglite BENCH_PULL_CALLS=100000
 *
 * 1. Signed inbound-call webhooks → TwiML: the API runs in a child process (`src/cloud/cli.ts`) so
 *    the load generator does not share its event loop; each request is a new call (CallSid) that
 *    the API validates, routes, records and answers with TwiML.
 * 2. Sync pull of 100,000 calls: a full initial pull, page by page, as the desktop does it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import twilio from 'twilio';
import { Agent } from 'node:http';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_PASSWORD, DEMO_USERS, SANDBOX_TWILIO_CREDENTIALS, sandboxConfig, startCloud, webhookPaths } from '../../src/cloud/index';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { percentile, post, randomHex, startCloudChild, stopCloudChild } from './support/cloud-child';

const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PULL_CALLS = Number(process.env.BENCH_PULL_CALLS ?? 100_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
const root = resolve(import.meta.dirname, '../..');

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });





async function benchWebhooks(label: string, url: string): Promise<void> {
  const target = url + webhookPaths.inbound;
  const numbers = [DEMO_NUMBERS.beverlyHillsMain.number, DEMO_NUMBERS.jordanDirect.number, DEMO_NUMBERS.santaMonicaMain.number];
  const make = (i: number) => {
    const params = {
      CallSid: `CA${randomHex(32)}`, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: `+1310555${String(2000 + (i % 49) * 7).padStart(4, '0')}`,
      To: numbers[i % numbers.length]!, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
    };
    return { body: new URLSearchParams(params).toString(), signature: twilio.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, target, params) };
  };
  const fire = async (req: { body: string; signature: string }): Promise<number> => {
    const t0 = performance.now();
    const res = await post(agent, target, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': req.signature }, req.body);
    if (res.status !== 200 || !res.text.includes('<Dial')) throw new Error(`unexpected ${res.status}: ${res.text.slice(0, 200)}`);
    return performance.now() - t0;
  };
  const run = async (count: number): Promise<{ latencies: number[]; seconds: number }> => {
    const requests = Array.from({ length: count }, (_, i) => make(i));
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) latencies.push(await fire(requests[next++]!));
    }));
    return { latencies, seconds: (performance.now() - t0) / 1000 };
  };
  await run(Math.min(500, WEBHOOKS)); // warm-up: JIT, connection pools, caches
  const { latencies, seconds } = await run(WEBHOOKS);
  latencies.sort((a, b) => a - b);
  console.log(
    `[${label}] inbound webhooks → TwiML: ${WEBHOOKS} requests, concurrency ${CONCURRENCY}: ${(WEBHOOKS / seconds).toFixed(0)} req/s, ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms`,
  );
}

async function benchPull(label: string, databaseUrl: string | undefined, dataDir: string): Promise<void> {
  const cloud = await startCloud({ config: sandboxConfig({ databaseUrl, dataDir, logLevel: 'silent' }), seed: true });
  try {
    const t0 = performance.now();
    await cloud.db.transaction(async (q) => {
      const rows = await q.query<{ change_seq: number }>(`UPDATE accounts SET change_seq = change_seq + $2 WHERE id = $1 RETURNING change_seq`, [DEMO_ACCOUNT_ID, PULL_CALLS]);
      const base = Number(rows[0]!.change_seq) - PULL_CALLS;
      await q.query(
        `INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, from_number, to_number, phone_number_id, user_id, rang_user_ids,
                            status, started_at, answered_at, ended_at, duration_seconds, seq)
         SELECT 'call_bench_' || g, $1, 'loc_demo_bh', 'CAbench' || lpad(g::text, 26, '0'), CASE WHEN g % 3 = 0 THEN 'outbound' ELSE 'inbound' END,
                '+1310555' || lpad((2000 + g % 7000)::text, 4, '0'), $2, 'num_demo_bh_main', $3, jsonb_build_array($3::text),
                'completed', now() - make_interval(secs => g * 60), now() - make_interval(secs => g * 60 - 5), now() - make_interval(secs => g * 60 - 120), 115, $4::bigint + g
           FROM generate_series(1, $5::int) g`,
        [DEMO_ACCOUNT_ID, DEMO_NUMBERS.beverlyHillsMain.number, DEMO_USERS.receptionist.id, base, PULL_CALLS],
      );
    });
    const insertSeconds = (performance.now() - t0) / 1000;
    const login = (await (await fetch(cloud.url + '/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_USERS.receptionist.email, password: DEMO_PASSWORD }),
    })).json()) as { accessToken: string };
    for (const limit of [1000, 5000]) {
      let cursor = 0;
      let pages = 0;
      let calls = 0;
      let bytes = 0;
      const pageTimes: number[] = [];
      const start = performance.now();
      for (;;) {
        const p0 = performance.now();
        const res = await fetch(`${cloud.url}/v1/sync/pull?cursor=${cursor}&limit=${limit}`, { headers: { authorization: `Bearer ${login.accessToken}` } });
        const text = await res.text();
        const page = JSON.parse(text) as { cursor: number; hasMore: boolean; changes: { calls: unknown[] } };
        pageTimes.push(performance.now() - p0);
        bytes += text.length;
        pages += 1;
        calls += page.changes.calls.length;
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      const seconds = (performance.now() - start) / 1000;
      pageTimes.sort((a, b) => a - b);
      console.log(
        `[${label}] sync pull of ${calls} calls (limit ${limit}): ${seconds.toFixed(2)} s, ${pages} pages, ${(calls / seconds).toFixed(0)} calls/s, ` +
          `page p50 ${percentile(pageTimes, 50).toFixed(0)} ms / p99 ${percentile(pageTimes, 99).toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB (insert took ${insertSeconds.toFixed(1)} s)`,
      );
    }
  } finally {
    await cloud.stop();
  }
}

async function main(): Promise<void> {
  console.log(`cloud benchmark: node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`);
  let pg: TestPostgres | undefined;
  try {
    for (const backend of BACKENDS) {
      const dir = await mkdtemp(join(tmpdir(), 'aesthetix-bench-'));
      try {
        let databaseUrl: string | undefined;
        if (backend === 'postgres') {
          pg ??= await startTestPostgres();
          databaseUrl = await pg.createDatabase('bench');
        }
        // CLOUD_DATA_DIR always in the temporary folder: sandbox mode writes its key file beside it.
        const { url, child } = await startCloudChild(root, { CLOUD_DATA_DIR: join(dir, 'webhooks'), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
        try {
          await benchWebhooks(backend, url);
        } finally {
          await stopCloudChild(child);
        }
        await benchPull(backend, backend === 'postgres' ? await pg!.createDatabase('pull') : undefined, join(dir, 'pull'));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await pg?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
