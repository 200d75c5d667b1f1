// Slack's rate limits, two ways: forced 429s a test asks for ("the next 2 chat.postMessage calls
// are rate limited for 1 s"), and — when enabled — the published tiers per app and method
// (Tier 2: 20/min, Tier 3: 50/min, Tier 4: 100/min) plus chat.postMessage's ~1 per second per
// channel with short bursts. A limited call gets HTTP 429, Retry-After (seconds) and
// `{ ok: false, error: 'ratelimited' }`.

export const METHOD_TIER: Record<string, 1 | 2 | 3 | 4> = {
  'auth.test': 4,
  'auth.revoke': 3,
  'conversations.list': 2,
  'conversations.info': 3,
  'conversations.open': 3,
  'users.list': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'oauth.v2.access': 4,
};
const PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
const POST_BURST = 5;

interface Forced {
  method: string | null;
  remaining: number;
  retryAfterSeconds: number;
}

export class RateLimiter {
  enforceTiers: boolean;
  private forced: Forced[] = [];
  private readonly windows = new Map<string, number[]>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(enforceTiers: boolean) {
    this.enforceTiers = enforceTiers;
  }

  /** The next `times` calls (of `method`, or any) are answered 429 with this Retry-After. */
  force(method: string | null, times: number, retryAfterSeconds: number): void {
    this.forced.push({ method, remaining: times, retryAfterSeconds });
  }

  clear(): void {
    this.forced = [];
    this.windows.clear();
    this.buckets.clear();
  }

  /** Seconds to wait, or null if the call may go ahead (and is counted). */
  check(method: string, caller: string, channel: string | null): number | null {
    const forced = this.forced.find((f) => f.remaining > 0 && (f.method === null || f.method === method));
    if (forced) {
      forced.remaining--;
      return forced.retryAfterSeconds;
    }
    if (!this.enforceTiers) return null;
    if (method === 'chat.postMessage') return this.postBucket(`${caller}|${channel ?? ''}`);
    const tier = METHOD_TIER[method] ?? 3;
    const key = `${caller}|${method}`;
    const now = Date.now();
    const recent = (this.windows.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= PER_MINUTE[tier]) {
      this.windows.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    recent.push(now);
    this.windows.set(key, recent);
    return null;
  }

  /** A bucket of POST_BURST refilled at one message per second, per channel. */
  private postBucket(key: string): number | null {
    const now = Date.now();
    const b = this.buckets.get(key) ?? { tokens: POST_BURST, at: now };
    b.tokens = Math.min(POST_BURST, b.tokens + (now - b.at) / 1000);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return Math.max(1, Math.ceil(1 - b.tokens));
    b.tokens -= 1;
    return null;
  }
}
