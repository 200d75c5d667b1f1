import type { TxtLookup } from './verification';

/**
 * What a sending domain's DMARC record says about DKIM alignment (RFC 7489). PURE: the lookups
 * are dns-check.ts's. Only `adkim` matters here: with adkim=s receivers pass DKIM for DMARC only
 * when the signature's d= is the From domain itself, so mail From a subdomain signed with the
 * domain's key fails (and is quarantined or rejected under p=quarantine/reject; even under p=none
 * large mailbox providers ask bulk senders for a passing DMARC). `sp=` is policy, not alignment.
 */

export interface DmarcRecord {
  /** `s`: strict; `r` (the default, also for a value RFC 7489 does not define): relaxed. */
  adkim: 'r' | 's';
  p: 'none' | 'quarantine' | 'reject';
}

/**
 * One TXT value as a DMARC record, or null when it is not one a receiver would apply (§6.3, §6.6.3):
 * `v=DMARC1` first, then `tag=value` pairs split by `;`, whitespace around either ignored, tag
 * names and values read in any case (a part without `=` is skipped); `p=` must name a policy — a
 * record without one but with rua= is applied as p=none, as the RFC says.
 */
export function parseDmarc(value: string): DmarcRecord | null {
  const parts = value.split(';').map((part) => part.trim());
  if (!/^v\s*=\s*DMARC1$/i.test(parts[0] ?? '')) return null;
  const tags = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim().toLowerCase();
    if (eq > 0 && !tags.has(name)) tags.set(name, part.slice(eq + 1).trim().toLowerCase());
  }
  const p = tags.get('p');
  const policy = p === 'none' || p === 'quarantine' || p === 'reject' ? p : tags.get('rua') ? 'none' : null;
  return policy ? { adkim: tags.get('adkim') === 's' ? 's' : 'r', p: policy } : null;
}

/**
 * One `_dmarc.<name>` lookup read for DMARC (§6.6.3): no DMARC record there (look at the parent),
 * the record that applies (null: one is there but DMARC is not applied — several, or one that does
 * not parse), or no answer from DNS (node:dns's code).
 */
export type DmarcLookup = { none: true } | { record: DmarcRecord | null } | { unanswered: string };

export function readDmarc(lookup: TxtLookup): DmarcLookup {
  if ('error' in lookup) return lookup.error === 'ENOTFOUND' || lookup.error === 'ENODATA' ? { none: true } : { unanswered: lookup.error };
  const candidates = lookup.records.filter((value) => /^\s*v\s*=\s*DMARC1\s*(;|$)/i.test(value));
  if (candidates.length === 0) return { none: true };
  return { record: candidates.length === 1 ? parseDmarc(candidates[0]!) : null };
}

/**
 * Where a domain's DMARC record may be published, nearest first: `_dmarc.<domain>`, then each parent
 * up to the two-label name (a subdomain without a record of its own takes its organisational
 * domain's; the walk is DMARCbis's, which needs no public suffix list).
 */
export function dmarcNames(domain: string): string[] {
  const labels = domain.split('.');
  const names: string[] = [];
  for (let i = 0; labels.length - i >= 2; i++) names.push(`_dmarc.${labels.slice(i).join('.')}`);
  return names;
}

/**
 * Whether the DMARC record that applies to `domain` asks for strict DKIM alignment: the nearest
 * record found walking up (none at all, or one not applied: relaxed), or — when DNS did not answer
 * before a record was found — unknown, so a check that could not reach DNS changes nothing.
 */
export async function dmarcAlignment(domain: string, lookupTxt: (name: string) => Promise<TxtLookup>): Promise<{ strict: boolean } | { unanswered: string }> {
  for (const name of dmarcNames(domain)) {
    const read = readDmarc(await lookupTxt(name));
    if ('unanswered' in read) return read;
    if ('record' in read) return { strict: read.record?.adkim === 's' };
  }
  return { strict: false };
}
