import pino, { type DestinationStream, type Logger } from 'pino';
import type { CloudConfig } from './config';

/**
 * Query parameters whose values may appear in logs: ids and paging only. Every other value is
 * replaced, so a credential put in a URL (a stray `?access_token=`, a realtime ticket, a search
 * for a patient's name) never reaches a log line.
 */
const LOGGABLE_QUERY = new Set(['callId', 'kind', 'limit', 'cursor', 'direction', 'includeDeleted', 'unread', 'userId', 'dispositionId']);

/** A request URL as it may be logged: the path, and the query with only harmless values kept. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const kept = [...params].map(([key, value]) => `${encodeURIComponent(key)}=${LOGGABLE_QUERY.has(key) ? encodeURIComponent(value) : '[redacted]'}`);
  return `${url.slice(0, q)}?${kept.join('&')}`;
}

/** Whatever else might carry a secret in a logged object. */
const REDACT = ['*.password', '*.accessToken', '*.refreshToken', '*.token', '*.ticket', '*.authorization', '*.secret', '*.code'];

/**
 * The cloud's logger: requests are logged by method, redacted URL, client address and status —
 * never headers (Authorization, X-Twilio-Signature, cookies) nor bodies.
 */
export function createCloudLogger(config: Pick<CloudConfig, 'logLevel'>, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'aesthetix-cloud' },
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
