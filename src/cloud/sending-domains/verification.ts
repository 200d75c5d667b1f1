import type { DnsCheckOutcome, SendingDomainStatus } from '../../shared/cloud/sending-domains';
import type { RecordSpec } from './records';

/**
 * What a DNS answer means for a sending domain's records, and the domain's status after a check.
 * PURE: the lookup itself is dns-check.ts's.
 */

/** One TXT lookup: the records found (each one's strings joined), or how it failed (node:dns's code). */
export type TxtLookup = { records: string[] } | { error: string };

export interface RecordCheck {
  purpose: RecordSpec['purpose'];
  outcome: DnsCheckOutcome;
  message: string;
}

/** A DKIM record's tags (`v=DKIM1; k=rsa; p=…`), names lower-cased, whitespace inside values removed. */
function dkimTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** Does this published TXT value say what the cloud issued? DKIM by its key; verification exactly. */
function matches(spec: RecordSpec, published: string): boolean {
  if (spec.purpose === 'verification') return published.trim() === spec.value;
  const want = dkimTags(spec.value);
  const got = dkimTags(published);
  return got.get('p') === want.get('p') && (got.get('k') ?? 'rsa') === 'rsa' && (got.get('v') ?? 'DKIM1') === 'DKIM1';
}

const TRANSIENT: ReadonlySet<DnsCheckOutcome> = new Set(['timeout', 'server_error']);

/** The record's check, in words an admin acts on. */
export function checkRecord(spec: RecordSpec, lookup: TxtLookup): RecordCheck {
  const record = spec.purpose === 'verification' ? 'verification record' : 'DKIM record';
  const what = `The ${record}`;
  const result = (outcome: DnsCheckOutcome, message: string): RecordCheck => ({ purpose: spec.purpose, outcome, message });
  if ('records' in lookup) {
    if (lookup.records.some((published) => matches(spec, published))) return result('found', `${what} was found.`);
    if (lookup.records.length === 0) return checkRecord(spec, { error: 'ENODATA' });
    const hint = spec.purpose === 'dkim' ? 'its key (p=) is not the one issued here' : 'none has the value issued here';
    return result('mismatch', `${what} at ${spec.name} is there, but ${hint}: check it for typos, missing parts or extra quotes.`);
  }
  switch (lookup.error) {
    case 'ENOTFOUND':
      return result('nxdomain', `No record named ${spec.name} exists (NXDOMAIN): add the ${record} at your DNS provider. New records can take a while to appear.`);
    case 'ENODATA':
      return result('no_record', `${spec.name} has no TXT record: add the ${record} at your DNS provider.`);
    case 'ETIMEOUT':
      return result('timeout', `The DNS server did not answer in time when looking up ${spec.name} (timeout): try Verify again in a few minutes.`);
    default:
      return result('server_error', `The DNS lookup of ${spec.name} failed (${lookup.error}): try Verify again in a few minutes.`);
  }
}

export interface StatusDecision {
  status: SendingDomainStatus;
  /** Why it failed (for `failed`). */
  failure: string | null;
  /** A verified domain kept verified through a check that could not reach DNS. */
  note: string | null;
}

/**
 * The domain's status after a check: verified when every record was found; failed on the first
 * definite problem (no such name, no TXT record, another value); when DNS could not be asked (a
 * timeout, a failing server) a verified domain stays verified with a note — one unanswered lookup
 * must not stop a practice's email — and any other is failed with that reason.
 */
export function decideStatus(previous: SendingDomainStatus, checks: readonly RecordCheck[]): StatusDecision {
  if (checks.every((c) => c.outcome === 'found')) return { status: 'verified', failure: null, note: null };
  const definite = checks.find((c) => c.outcome !== 'found' && !TRANSIENT.has(c.outcome));
  if (definite) return { status: 'failed', failure: definite.message, note: null };
  const transient = checks.find((c) => TRANSIENT.has(c.outcome))!;
  if (previous === 'verified') return { status: 'verified', failure: null, note: `Still verified: the last check could not reach DNS. ${transient.message}` };
  return { status: 'failed', failure: transient.message, note: null };
}
