import type { CloudContext } from '../context';
import { clientKey, retryAfterSeconds, takeSlots } from '../http/throttle';

/**
 * The public tracked-link route's limit: at most `linkClickLimit` requests per client address (an
 * IPv6 /64) in `linkClickWindowSeconds`. The address is Fastify's `request.ip`, which believes
 * X-Forwarded-For only from TRUST_PROXY's proxies. One upsert per request (http/throttle.ts), so
 * concurrent requests can never pass it; null when this one is within it.
 */
export async function linkClickRefused(ctx: CloudContext, ip: string): Promise<{ retryAfterSeconds: number } | null> {
  const windowSeconds = ctx.config.linkClickWindowSeconds;
  const key = `link-click:${clientKey(ip)}`;
  const count = (await takeSlots(ctx.db, [key], windowSeconds)).get(key);
  if (!count || count.attempts <= ctx.config.linkClickLimit) return null;
  return { retryAfterSeconds: retryAfterSeconds(count, windowSeconds) };
}
