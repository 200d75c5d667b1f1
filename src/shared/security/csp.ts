/**
 * The renderer's Content-Security-Policy, built from what this run may talk to: the cloud API, the
 * Twilio edge (real or the local sandbox), and in the browser host the bridge socket. Everything
 * else is refused; there is no inline script, no eval, no remote code.
 */
export interface CspSources {
  /** Origins the renderer may fetch from / open sockets to (http(s) origins get their ws(s) twin). */
  connect: readonly string[];
}

/** Real Twilio: signaling on voice-js.<edge>.twilio.com, Insights on eventgw.twilio.com. */
export const TWILIO_EDGE_ORIGINS = ['wss://*.twilio.com', 'https://*.twilio.com'] as const;

export function socketTwin(origin: string): string | undefined {
  if (origin.startsWith('https://')) return `wss://${origin.slice('https://'.length)}`;
  if (origin.startsWith('http://')) return `ws://${origin.slice('http://'.length)}`;
  return undefined;
}

export function buildCsp(sources: CspSources): string {
  const connect = new Set<string>(["'self'"]);
  for (const origin of sources.connect) {
    connect.add(origin);
    const twin = socketTwin(origin);
    if (twin) connect.add(twin);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob:",
    `connect-src ${[...connect].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}

/** Turns a URL into its origin, or undefined when it is not an absolute http(s)/ws(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol) ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
