import pino, { type DestinationStream, type Logger } from 'pino';
import type { CloudConfig } from './config';

/**
 * Query parameters whose values may appear in logs: ids and paging only. Every other value is
 * replaced, so a credential put in a URL (a stray `?access_token=`, a realtime ticket, a search
 * for a patient's name) never reaches a log line.
 */
const LOGGABLE_QUERY = new Set(['callId', 'kind', 'limit', 'cursor', 'direction', 'includeDeleted', 'unread', 'userId', 'dispositionId']);

/**
 * Path parameters that are capabilities — knowing the value is what lets a caller in: a workflow's
 * inbound-webhook secret, a media file's public token, a tracked link's or open pixel's token — as
 * the route table declares them (`secretParams`, http/router.ts). A path is matched on the route's
 * fixed segments before the secret, whatever its method, case or extra slashes, so a secret sent to
 * the wrong method or spelling (a 404) is hidden too.
 */
export class SecretPathParams {
  private readonly routes: { fixed: [at: number, text: string][]; secret: number[] }[] = [];

  /** `routeUrl` in Fastify's syntax (`/hooks/workflows/:id/:secret`); `params` the secret ones. */
  declare(routeUrl: string, params: readonly string[]): void {
    const fixed: [number, string][] = [];
    const secret: number[] = [];
    routeUrl.split('/').filter(Boolean).forEach((segment, at) => {
      const name = /^:(\w+)/.exec(segment)?.[1];
      if (name === undefined) fixed.push([at, segment.toLowerCase()]);
      else if (params.includes(name)) secret.push(at);
    });
    this.routes.push({ fixed, secret });
  }

  /** The path with each secret segment replaced by `[redacted]`. */
  redact(path: string): string {
    const parts = path.split('/');
    // Where the n-th non-empty segment is: `//media/x` is matched as `/media/x`.
    const where = parts.flatMap((part, index) => (part ? [index] : []));
    const fixedMatches = (at: number, text: string) => decodeSegment(parts[where[at]!]!).toLowerCase() === text;
    for (const route of this.routes) {
      for (const at of route.secret) {
        const index = where[at];
        if (index !== undefined && route.fixed.every(([f, text]) => f > at || fixedMatches(f, text))) parts[index] = '[redacted]';
      }
    }
    return parts.join('/');
  }
}

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** A request URL as it may be logged: the path without its secret segments, and the query with only harmless values kept. */
export function redactUrl(url: string, secretPaths?: SecretPathParams): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const shownPath = secretPaths ? secretPaths.redact(path) : path;
  if (q < 0) return shownPath;
  const params = new URLSearchParams(url.slice(q + 1));
  const kept = [...params].map(([key, value]) => `${encodeURIComponent(key)}=${LOGGABLE_QUERY.has(key) ? encodeURIComponent(value) : '[redacted]'}`);
  return `${shownPath}?${kept.join('&')}`;
}

/** Whatever else might carry a secret in a logged object. */
const REDACT = ['*.password', '*.accessToken', '*.refreshToken', '*.token', '*.ticket', '*.authorization', '*.secret', '*.code'];

/**
 * The cloud's logger: requests are logged by method, redacted URL, client address and status —
 * never headers (Authorization, X-Twilio-Signature, cookies) nor bodies. `secretPaths` is filled
 * by the route table as routes are declared (startCloud hands the same one to both).
 */
export function createCloudLogger(config: Pick<CloudConfig, 'logLevel'>, destination?: DestinationStream, secretPaths = new SecretPathParams()): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'aesthetix-cloud' },
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method,
        url: redactUrl(req.url ?? '', secretPaths),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
