import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { ApiError } from '../errors';
import type { KeyRing } from '../keys/key-ring';

/**
 * Opaque, practice-scoped page cursors (issue [security] #8). A cursor names where the previous
 * page ended, MACed with the server's `cursor` key over the caller's account and the list it
 * belongs to: another practice's cursor, a raw id, or an edited cursor is refused (400), so one
 * practice's ids can never steer another's page. The next page's cursor is the `X-Next-Cursor`
 * response header (sent when the page is full).
 */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';

const mac = (key: Buffer, accountId: string, list: string, body: string): Buffer => createHmac('sha256', key).update(`${accountId}\n${list}\n${body}`).digest();

export function encodeCursor(keys: KeyRing, accountId: string, list: string, position: string | number): string {
  const { id, key } = keys.current('cursor');
  const body = Buffer.from(JSON.stringify([position])).toString('base64url');
  return `${body}.${id}.${mac(key, accountId, list, body).toString('base64url')}`;
}

export function decodeCursor(keys: KeyRing, accountId: string, list: string, cursor: string): string | number {
  const invalid = new ApiError('BAD_REQUEST', 'That page cursor is not valid here: use the X-Next-Cursor of the previous page');
  const [body, kid, signature, ...rest] = cursor.split('.');
  if (!body || !kid || !signature || rest.length > 0) throw invalid;
  const key = keys.key('cursor', kid);
  if (!key) throw invalid;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, accountId, list, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  try {
    const [position] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    if (typeof position === 'string' || typeof position === 'number') return position;
  } catch {
    // fall through
  }
  throw invalid;
}

/** Sets the next page's cursor when the page is full. */
export function setNextCursor<T>(reply: FastifyReply, page: readonly T[], limit: number, next: (last: T) => string): readonly T[] {
  if (page.length === limit && page.length > 0) reply.header(NEXT_CURSOR_HEADER, next(page[page.length - 1]!));
  return page;
}
