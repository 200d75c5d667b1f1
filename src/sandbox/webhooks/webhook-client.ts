// Sends webhooks exactly as Twilio signs them (X-Twilio-Signature via the twilio library), with
// retries for callbacks and injectable delays and failures.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { EventLog } from '../events/event-log';

export interface WebhookFault {
  /** Substring of the URL this fault applies to ('' = every webhook). */
  urlIncludes: string;
  delayMs?: number;
  /** How many attempts to fail (with 500) before letting requests through. */
  failTimes?: number;
}

export interface WebhookResult {
  ok: boolean;
  status: number;
  body: string;
  contentType: string;
}

export class WebhookClient {
  private faults: WebhookFault[] = [];

  constructor(
    private readonly authToken: string,
    private readonly events: EventLog,
    private readonly retryBaseMs = 200,
    /** Awaited before a callback's first attempt: the sandbox's calls whose media is connecting (ConnectingMedia). */
    private readonly beforeCallback: () => Promise<void> = () => Promise.resolve(),
  ) {}

  addFault(fault: WebhookFault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** One request, no retries (voice URLs: Twilio falls back instead of retrying). */
  async send(url: string, method: 'GET' | 'POST', params: Record<string, string>, signal?: AbortSignal): Promise<WebhookResult> {
    // A failure fault that has failed its times is spent: it must not hide one added after it.
    const fault = this.faults.find((f) => url.includes(f.urlIncludes) && (f.delayMs || (f.failTimes ?? 0) > 0));
    let target = url;
    let body: string | undefined;
    if (method === 'GET') {
      const u = new URL(url);
      for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
      target = u.toString();
    } else {
      body = new URLSearchParams(params).toString();
    }
    const signature = getExpectedTwilioSignature(this.authToken, target, method === 'POST' ? params : {});
    this.events.emitEvent('webhook.request', { url, method, params });
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.failTimes && fault.failTimes > 0) {
      fault.failTimes--;
      this.events.emitEvent('webhook.response', { url, status: 500, injected: true });
      return { ok: false, status: 500, body: '', contentType: '' };
    }
    try {
      const res = await fetch(target, {
        method,
        headers: {
          'X-Twilio-Signature': signature,
          'User-Agent': 'TwilioProxy/1.1',
          ...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
      const text = await res.text();
      this.events.emitEvent('webhook.response', { url, status: res.status });
      return { ok: res.ok, status: res.status, body: text, contentType: res.headers.get('content-type') ?? '' };
    } catch (error) {
      this.events.emitEvent('webhook.response', { url, status: 0, error: String(error) });
      return { ok: false, status: 0, body: '', contentType: '' };
    }
  }

  /** Callbacks (status, recording, message status) are retried with backoff; never throws. */
  async callback(url: string, method: 'GET' | 'POST', params: Record<string, string>, attempts = 4): Promise<WebhookResult> {
    await this.beforeCallback();
    let last: WebhookResult = { ok: false, status: 0, body: '', contentType: '' };
    for (let i = 0; i < attempts; i++) {
      last = await this.send(url, method, params);
      if (last.ok) return last;
      await new Promise((r) => setTimeout(r, this.retryBaseMs * 2 ** i));
    }
    this.events.emitEvent('webhook.gave-up', { url, attempts });
    return last;
  }
}
