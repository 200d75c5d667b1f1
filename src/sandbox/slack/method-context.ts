// What every Web API method handler gets, and how it fails: Slack answers HTTP 200 with
// `{ ok: false, error }` (plus `needed`/`provided` for a missing scope).
import type { EventLog } from '../events/event-log';
import type { Installations, SlackToken } from './installations';
import type { Workspace } from './workspace';

export type Args = Record<string, unknown>;

export interface MethodCall {
  args: Args;
  /** The token the call authenticated with (null for methods that take none, e.g. oauth.v2.access). */
  token: SlackToken | null;
  /** HTTP basic credentials, for oauth.v2.access. */
  basic: { user: string; pass: string } | null;
  workspace: Workspace;
  installations: Installations;
  events: EventLog;
}

export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export type MethodHandler = (call: MethodCall) => Record<string, unknown>;

export interface MethodSpec {
  handler: MethodHandler;
  /** Whether the method needs a token (all but oauth.v2.access). */
  needsToken: boolean;
}

export function requireScope(call: MethodCall, ...anyOf: string[]): void {
  const scopes = call.token?.scopes ?? [];
  if (!anyOf.some((s) => scopes.includes(s))) throw new SlackApiError('missing_scope', { needed: anyOf.join(','), provided: scopes.join(',') });
}

export function str(args: Args, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function bool(args: Args, name: string, fallback: boolean): boolean {
  const v = str(args, name);
  return v === undefined ? fallback : v === 'true' || v === '1';
}

/** Cursor pagination as Slack does it: an opaque base64 cursor, `limit` (default 100 here, max 1000). */
export function paginate<T>(items: T[], args: Args, defaultLimit = 100): { page: T[]; nextCursor: string } {
  const rawLimit = str(args, 'limit');
  const limit = rawLimit === undefined || rawLimit === '' || Number(rawLimit) === 0 ? defaultLimit : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 0) throw new SlackApiError('invalid_limit');
  const size = Math.min(limit, 1000);
  const cursor = str(args, 'cursor');
  let offset = 0;
  if (cursor) {
    const decoded = /^next:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!decoded) throw new SlackApiError('invalid_cursor');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`next:${offset + size}`).toString('base64') : '';
  return { page, nextCursor: next };
}
