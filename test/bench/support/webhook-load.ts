import { monitorEventLoopDelay } from 'node:perf_hooks';
import twilio from 'twilio';
import { Pool } from 'undici';
import { DEMO_NUMBERS, SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../../src/cloud/index';
import { percentile, randomHex } from './cloud-child';

/**
 * A load generator for signed inbound-call webhooks that costs as little CPU as it can, because it
 * runs on the same 2 cores as the server: every body and signature is made BEFORE a step starts,
 * and requests go over a fixed, small number of keep-alive connections with HTTP pipelining
 * (undici's Pool), so no connection is opened and no HMAC computed while the clock runs.
 *
 * Latency is measured from the moment a webhook was DUE (open loop), not from when the generator
 * got round to sending it: a generator that falls behind shows as lateness, not as a fast server.
 * Its own lateness and event-loop delay are printed apart, so a reader can tell a generator limit
 * from a server limit.
 */

export interface Outcome {
  status: number;
  ms: number;
}

interface Signed {
  body: string;
  headers: Record<string, string>;
}

export interface WebhookLoadOptions {
  /** Keep-alive connections to the server (default 16). */
  connections?: number;
  /** Requests in flight per connection (default 128). */
  pipelining?: number;
}

export class WebhookLoad {
  private readonly pool: Pool;
  private readonly target: string;
  private readonly numbers = [DEMO_NUMBERS.beverlyHillsMain.number, DEMO_NUMBERS.jordanDirect.number, DEMO_NUMBERS.santaMonicaMain.number];
  private made = 0;

  constructor(url: string, options: WebhookLoadOptions = {}) {
    this.pool = new Pool(url, { connections: options.connections ?? 16, pipelining: options.pipelining ?? 128, keepAliveTimeout: 60_000 });
    this.target = url + webhookPaths.inbound;
  }

  /** `count` new calls' webhooks, signed as Twilio signs them. */
  presign(count: number): Signed[] {
    return Array.from({ length: count }, () => {
      const i = (this.made += 1);
      const params = {
        CallSid: `CA${randomHex(32)}`, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: `+1310555${String(2000 + (i % 49) * 7).padStart(4, '0')}`,
        To: this.numbers[i % this.numbers.length]!, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
      };
      return {
        body: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, this.target, params) },
      };
    });
  }

  /** Sends one; `since` is when it was due. A 200 must carry the <Dial> of a ringing call. */
  async send(signed: Signed, since: number): Promise<Outcome> {
    try {
      // idempotent + not blocking: undici would otherwise send a POST only on an idle connection (no
      // pipelining), and the queue would build in this process, where the server's gate cannot see it.
      // Safe here: the server answers a replayed CallSid as it answered the first.
      const res = await this.pool.request({ path: webhookPaths.inbound, method: 'POST', headers: signed.headers, body: signed.body, idempotent: true, blocking: false });
      const text = await res.body.text();
      if (res.statusCode === 200 && !text.includes('<Dial')) throw new Error(`200 without <Dial>: ${text.slice(0, 200)}`);
      return { status: res.statusCode, ms: performance.now() - since };
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('200 without')) throw error;
      return { status: 0, ms: performance.now() - since }; // connection refused or reset
    }
  }

  /** `concurrency` senders, each sending the next as soon as its last is answered. */
  async closedLoop(count: number, concurrency: number): Promise<{ outcomes: Outcome[]; seconds: number }> {
    const signed = this.presign(count);
    const outcomes: Outcome[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < signed.length) {
        const item = signed[next++]!;
        outcomes.push(await this.send(item, performance.now()));
      }
    }));
    return { outcomes, seconds: (performance.now() - t0) / 1000 };
  }

  /**
   * Sends `rate` webhooks per second for `seconds`, whatever the answers (as Twilio does); resolves
   * when every one is back. Each is timed from when it was due.
   */
  async openLoop(rate: number, seconds: number): Promise<OpenLoopResult> {
    const total = Math.round(rate * seconds);
    const signed = this.presign(total);
    const pending: Promise<Outcome>[] = [];
    const lateness: number[] = [];
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise<void>((done) => {
      const tick = (): void => {
        const now = performance.now();
        const due = Math.min(total, Math.floor(((now - t0) / 1000) * rate));
        while (pending.length < due) {
          const dueAt = t0 + (pending.length * 1000) / rate;
          lateness.push(now - dueAt);
          pending.push(this.send(signed[pending.length]!, dueAt));
        }
        if (pending.length >= total) done();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const sendSeconds = (performance.now() - t0) / 1000;
    const outcomes = await Promise.all(pending);
    const elapsed = (performance.now() - t0) / 1000;
    delay.disable();
    const cpu = process.cpuUsage(cpu0);
    return {
      outcomes, elapsed,
      sentPerSecond: total / Math.max(sendSeconds, seconds),
      sendLatenessP99: percentile(lateness.sort((a, b) => a - b), 99),
      generatorLoopDelayP99: delay.percentile(99) / 1e6,
      generatorCpuMs: (cpu.user + cpu.system) / 1000,
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

export interface OpenLoopResult {
  outcomes: Outcome[];
  /** Seconds until the last answer came back. */
  elapsed: number;
  /** What the generator actually managed to send per second (≈ the offered rate unless it fell behind). */
  sentPerSecond: number;
  /** How late the generator sent (p99, ms after due): its own limit, not the server's. */
  sendLatenessP99: number;
  generatorLoopDelayP99: number;
  generatorCpuMs: number;
}
