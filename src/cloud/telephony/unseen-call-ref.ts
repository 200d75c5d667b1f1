import type { UnseenCallQuery } from './webhook-params';

/**
 * The voice fallback's calls have no row when it answers. Its callback URLs (status, recording)
 * carry the caller, the number called and whom it rang, so the first callback to come can file the
 * call: Twilio signs the whole URL, so they are as trustworthy as the rest of the request.
 */
export interface UnseenCallRef {
  from: string;
  to: string;
  /** The users the fallback rang: a call none of them answered is then a missed call, as any other. */
  rang?: readonly string[] | undefined;
}

/**
 * Characters of rung user ids a fallback's TwiML may carry in all: each <Client> it rings repeats
 * its status URL, and Twilio refuses a document over 64 KB. A front desk's few users all fit; a
 * very large ring group names its first users only (the others are not told of the missed call).
 */
const RANG_BUDGET = 16_000;

/** The rung users a URL repeated `copies` times may name, in order, within the budget. */
export function rangThatFits(userIds: readonly string[], copies: number): string[] {
  const perCopy = Math.floor(RANG_BUDGET / Math.max(1, copies));
  const kept: string[] = [];
  let length = 0;
  for (const id of userIds) {
    length += id.length + 1;
    if (length > perCopy) break;
    kept.push(id);
  }
  return kept;
}

/** The query a fallback callback URL carries (unseenCallRefOf reads it back). */
export function unseenCallQuery(ref: UnseenCallRef): Record<string, string> {
  if (!ref.from || !ref.to) return {}; // nothing to file it under (Twilio always sends both)
  const rang = ref.rang ?? [];
  return { from: ref.from, to: ref.to, ...(rang.length > 0 ? { rang: rang.join(',') } : {}) };
}

/** The reference a fallback callback URL carried, if it carried one. */
export function unseenCallRefOf(query: UnseenCallQuery): UnseenCallRef | null {
  if (!query.from || !query.to) return null;
  return { from: query.from, to: query.to, rang: query.rang ? query.rang.split(',').filter(Boolean) : [] };
}
