import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { currentLane } from '../db/lanes';
import { ApiError } from '../errors';
import { AdmissionGate, admissionLimits, classify, installAdmission, LoopLag, refusalLog, SHED_FLOOR, type ClassLimits, type Refusal } from './admission';
import { errorHandler } from './problem';

const limits = (over: Partial<ClassLimits> = {}): ClassLimits => ({ concurrency: 2, maxQueue: 2, maxWaitMs: 60_000, ...over });
const refusal = async (p: Promise<unknown>): Promise<ApiError> => {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

describe('classify', () => {
  it('puts webhooks, sync and everything else in their classes, and leaves the socket, the probes and the voice fallback out', () => {
    expect(classify('/twilio/voice/inbound')).toBe('webhook');
    expect(classify('/hooks/messaging/status?x=1')).toBe('webhook');
    expect(classify('/v1/sync/push')).toBe('sync');
    expect(classify('/v1/sync/pull?cursor=3')).toBe('sync');
    expect(classify('/v1/contacts')).toBe('api');
    expect(classify('/v1/some-new-feature/1')).toBe('api');
    expect(classify('/v1/realtime')).toBeNull();
    expect(classify('/v1/realtime?ticket=abc')).toBeNull();
    expect(classify('/healthz')).toBeNull();
    expect(classify('/readyz')).toBeNull();
    // The voice fallback answers from memory: a refused inbound call must be able to reach it.
    expect(classify('/twilio/voice/fallback')).toBeNull();
    expect(classify('/twilio/voice/fallback-dial-done')).toBeNull();
    expect(classify('/twilio/voice/fallbackx')).toBe('webhook');
  });

  it('takes unset limits from the backend defaults', () => {
    const l = admissionLimits('pglite', { poolSize: 10, webhookPoolSize: 6, webhook: { maxWaitMs: 900 }, sync: {}, api: {} });
    expect(l.webhook.maxWaitMs).toBe(900);
    expect(l.webhook.concurrency).toBeGreaterThan(0);
    expect(l.sync.concurrency).toBeGreaterThan(0);
  });
});

describe('AdmissionGate', () => {
  it('admits up to its concurrency, queues the next in order, and hands a released slot straight to the first in line', async () => {
    const gate = new AdmissionGate('sync', limits());
    const a = await gate.acquire();
    const b = await gate.acquire();
    const order: string[] = [];
    const c = gate.acquire().then((r) => (order.push('c'), r));
    const d = gate.acquire().then((r) => (order.push('d'), r));
    expect(gate.inFlight).toBe(2);
    expect(gate.waiting).toBe(2);
    a();
    a(); // a second release is ignored
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(gate.inFlight).toBe(0);
    expect(gate.waiting).toBe(0);
  });

  it('refuses at once with Retry-After when the queue is full', async () => {
    const gate = new AdmissionGate('sync', limits({ concurrency: 1, maxQueue: 1 }));
    const first = await gate.acquire();
    const queued = gate.acquire();
    const error = await refusal(gate.acquire());
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.extra.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(gate.refused).toBe(1);
    first();
    (await queued)();
  });

  it('refuses at once when the expected wait is longer than maxWaitMs, by the measured hold time', async () => {
    let now = 0;
    const gate = new AdmissionGate('webhook', limits({ concurrency: 1, maxQueue: 1000, maxWaitMs: 900 }), () => now);
    // Requests that hold their slot 500 ms each teach the gate how long a turn takes.
    for (let i = 0; i < 40; i++) {
      const release = await gate.acquire();
      now += 500;
      release();
    }
    const holding = await gate.acquire();
    const waiting = gate.acquire(); // expected wait ≈ 500 ms: queued
    const error = await refusal(gate.acquire()); // ≈ 1000 ms > 900: refused without waiting
    expect(error.extra.retryAfterSeconds).toBe(1);
    holding();
    (await waiting)();
  });

  it('refuses at once when the requests in flight show the lane has stalled, before any of them finishes', async () => {
    let now = 0;
    const gate = new AdmissionGate('webhook', limits({ concurrency: 2, maxQueue: 1000, maxWaitMs: 1000 }), () => now);
    for (let i = 0; i < 40; i++) {
      const release = await gate.acquire();
      now += 10; // a turn takes 10 ms
      release();
    }
    const holding = [await gate.acquire(), await gate.acquire()];
    const waiting = gate.acquire(); // expected wait ≈ 5 ms: queued
    expect(gate.waiting).toBe(1);
    now += 3000; // the database stalls: nothing finishes, the average still says 10 ms
    expect(gate.averageHoldMs).toBeLessThan(20);
    expect(gate.serviceMs()).toBe(3000);
    const error = await refusal(gate.acquire()); // 2 × 3000 / 2 = 3000 ms > 1000: refused without waiting
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.extra.retryAfterSeconds).toBe(3);
    expect(gate.waiting).toBe(1);
    for (const release of holding) release();
    (await waiting)();
    expect(gate.inFlight).toBe(0);
    expect(gate.serviceMs()).toBe(gate.averageHoldMs); // nothing in flight: the average again
  });

  it('by throughput: refuses a webhook with slots free once the ones ahead, at the measured time per answer, would keep it past maxWaitMs', async () => {
    let now = 0;
    const gate = new AdmissionGate('webhook', limits({ concurrency: 500, maxQueue: 1000, maxWaitMs: 1000 }), () => now, { byThroughput: true });
    // 10 in flight, one answered every 10 ms for 3 s: 10 ms per answer.
    const inFlight: (() => void)[] = [];
    for (let i = 0; i < 10; i++) inFlight.push(await gate.acquire());
    for (let i = 0; i < 300; i++) {
      now += 10;
      inFlight.shift()!();
      inFlight.push(await gate.acquire());
    }
    // (in flight + 1) × 10 ms: admitted up to 99 in flight (1,000 ms), the next refused, 400 slots still free.
    while (gate.inFlight < 99) inFlight.push(await gate.acquire());
    inFlight.push(await gate.acquire());
    const error = await refusal(gate.acquire());
    expect(gate.inFlight).toBe(100);
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.extra.retryAfterSeconds).toBe(2);
    for (const release of inFlight.splice(0, 50)) release();
    inFlight.push(await gate.acquire()); // fewer ahead: admitted again
    for (const release of inFlight) release();
  });

  it('by throughput: a stall (nothing answered) raises the time per answer in real time; with nothing in flight a webhook is always admitted', async () => {
    let now = 0;
    const gate = new AdmissionGate('webhook', limits({ concurrency: 500, maxQueue: 1000, maxWaitMs: 1000 }), () => now, { byThroughput: true });
    for (let i = 0; i < 100; i++) {
      const release = await gate.acquire();
      now += 5;
      release();
    }
    const stuck: (() => void)[] = [];
    for (let i = 0; i < SHED_FLOOR; i++) stuck.push(await gate.acquire());
    expect(gate.expectedAnswerMs()).toBeLessThan(100);
    now += 2000; // the database stalls: none of them finishes
    expect(gate.expectedAnswerMs()).toBeGreaterThan(1000);
    await refusal(gate.acquire());
    for (const release of stuck) release();
    expect(gate.inFlight).toBe(0);
    (await gate.acquire())(); // nothing ahead of it: admitted whatever the last figure said
    // Without byThroughput (sync, api) free slots admit as before.
    const plain = new AdmissionGate('api', limits({ concurrency: 500, maxQueue: 1000, maxWaitMs: 1000 }), () => now);
    const held = [await plain.acquire(), await plain.acquire()];
    now += 5000;
    const third = await plain.acquire();
    for (const release of [...held, third]) release();
  });

  it('by throughput: a few slow webhooks are latency, not overload — the next call is admitted (front-desk.spec: a second call failed behind one slow callback)', async () => {
    let now = 0;
    const refusals: Refusal[] = [];
    const gate = new AdmissionGate('webhook', limits({ concurrency: 64, maxQueue: 1000, maxWaitMs: 1500 }), () => now, {
      byThroughput: true, onRefused: (r) => refusals.push(r),
    });
    const slow: (() => void)[] = [];
    for (let i = 0; i < SHED_FLOOR - 1; i++) slow.push(await gate.acquire());
    now += 5000; // a starved CPU: the status callbacks ahead have taken 5 s so far
    const call = await gate.acquire(); // an inbound call: admitted, it waits its turn with them
    expect(refusals).toEqual([]);
    slow.push(call);
    // One more in flight and the same figures are a stall worth shedding, and the refusal says why.
    now += 1;
    await refusal(gate.acquire());
    expect(refusals).toEqual([expect.objectContaining({ gate: 'webhook', reason: 'slow answers', inFlight: SHED_FLOOR })]);
    for (const release of slow) release();
  });

  it('refuses a request that waited maxWaitMs after all', async () => {
    const gate = new AdmissionGate('api', limits({ concurrency: 1, maxQueue: 10, maxWaitMs: 20 }));
    const holding = await gate.acquire();
    const error = await refusal(gate.acquire());
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(gate.waiting).toBe(0);
    holding();
    expect(gate.inFlight).toBe(0);
  });
});

describe('installAdmission', () => {
  async function server(limit: Partial<ClassLimits>) {
    const logged: { level: number; msg: string; reason?: string }[] = [];
    const stream = { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) };
    const app = Fastify({ logger: { level: 'warn', stream } });
    app.setErrorHandler(errorHandler);
    const gates = installAdmission(app, { webhook: limits(limit), sync: limits(limit), api: limits(limit) }).gates;
    const holds: (() => void)[] = [];
    const hold = () => new Promise<void>((r) => holds.push(r));
    app.post('/v1/sync/push', async () => (await hold(), { lane: currentLane() }));
    app.post('/twilio/voice/inbound', async () => ({ lane: currentLane() }));
    app.get('/v1/anything', async () => ({ lane: currentLane() }));
    await app.ready();
    return { app, gates, holds, logged };
  }

  it('answers 503 + Retry-After at once over a class limit, while other classes still get through', async () => {
    const { app, gates, holds, logged } = await server({ concurrency: 1, maxQueue: 0 });
    const first = app.inject({ method: 'POST', url: '/v1/sync/push', payload: {} });
    await expect.poll(() => holds.length).toBe(1);
    const refused = await app.inject({ method: 'POST', url: '/v1/sync/push', payload: {} });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: Number(refused.headers['retry-after']) });
    // The operator sees it: a warning with the reason (a 503 is not an error the handler logs).
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, msg: 'refused a sync request (503): queue full', reason: 'queue full' }));
    // The sync class is full; webhooks and the rest of the API are not held up by it.
    const webhook = await app.inject({ method: 'POST', url: '/twilio/voice/inbound', payload: {} });
    expect(webhook.json()).toEqual({ lane: 'webhook' });
    expect((await app.inject({ method: 'GET', url: '/v1/anything' })).json()).toEqual({ lane: 'default' });
    holds[0]!();
    expect((await first).json()).toEqual({ lane: 'default' });
    expect(gates.sync.inFlight).toBe(0);
    await app.close();
  });
});

describe('refusalLog', () => {
  const sample = (reason: Refusal['reason']): Refusal => ({ gate: 'webhook', reason, expectedMs: 2100, inFlight: 9, waiting: 0 });

  it('logs the first refusal at once with its figures, and the rest of the window as one line', () => {
    vi.useFakeTimers();
    try {
      const lines: { fields: object; message: string }[] = [];
      const log = refusalLog((fields, message) => lines.push({ fields, message }), 10_000);
      log.note(sample('slow answers'));
      expect(lines).toEqual([{ fields: sample('slow answers'), message: 'refused a webhook request (503): slow answers' }]);
      for (let i = 0; i < 500; i++) log.note(sample('slow answers'));
      log.note(sample('event loop late'));
      expect(lines).toHaveLength(1);
      vi.advanceTimersByTime(10_000);
      expect(lines[1]).toEqual({
        fields: { refused: { 'webhook: slow answers': 500, 'webhook: event loop late': 1 }, windowMs: 10_000 },
        message: 'refused 501 more request(s) (503) in the last 10 s',
      });
      // A quiet window logs nothing; the next refusal is logged at once again.
      vi.advanceTimersByTime(60_000);
      expect(lines).toHaveLength(2);
      log.note(sample('queue full'));
      expect(lines).toHaveLength(3);
      log.flush();
      expect(lines).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('LoopLag', () => {
  const block = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // busy: the event loop cannot run timers
    }
  };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('sees a loop that is late on every tick as overload, and one long block (a start-up) not', async () => {
    const lag = new LoopLag(10);
    try {
      await wait(60);
      block(400);
      await wait(80); // several ordinary ticks after the one late one
      expect(lag.takePeak()).toBeGreaterThanOrEqual(300);
      expect(lag.sustainedMs).toBeLessThan(300);
      // Late on every tick: each tick finds the loop busy for 80 ms.
      const busy = setInterval(() => block(80), 5);
      await wait(800);
      clearInterval(busy);
      expect(lag.sustainedMs).toBeGreaterThanOrEqual(40);
    } finally {
      lag.stop();
    }
  });
});
