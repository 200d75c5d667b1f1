import { domainToUnicode } from 'node:url';
import type { SendingDomain, SendingDomainStatus } from '../../shared/cloud/sending-domains';
import { text, textOrNull, type Row } from '../db/columns';
import { recordsFor } from './records';
import type { RecordCheck } from './verification';

export const SENDING_DOMAIN_COLUMNS = `d.id, d.account_id, d.domain, d.verification_token, d.dkim_selector, d.dkim_public_key, d.status, d.failure, d.dmarc_strict,
  d.last_checks, d.last_check_note, d.last_checked_at, d.verified_at, d.created_at`;

/** A sending_domains row as the service reads it (never the sealed DKIM key: `sealedDkimKey` reads that). */
export interface SendingDomainRow {
  id: string;
  accountId: string;
  domain: string;
  verificationToken: string;
  dkimSelector: string;
  dkimPublicKey: string;
  status: SendingDomainStatus;
  failure: string | null;
  /** The last DMARC read asked for strict DKIM alignment (adkim=s). */
  strictAlignment: boolean;
  lastChecks: RecordCheck[];
  lastCheckNote: string | null;
  lastCheckedAt: string | null;
  verifiedAt: string | null;
  createdAt: string;
}

export const toSendingDomainRow = (r: Row): SendingDomainRow => ({
  id: text(r.id),
  accountId: text(r.account_id),
  domain: text(r.domain),
  verificationToken: text(r.verification_token),
  dkimSelector: text(r.dkim_selector),
  dkimPublicKey: text(r.dkim_public_key),
  status: text(r.status) as SendingDomainStatus,
  failure: textOrNull(r.failure),
  strictAlignment: r.dmarc_strict === true,
  lastChecks: Array.isArray(r.last_checks) ? (r.last_checks as RecordCheck[]) : [],
  lastCheckNote: textOrNull(r.last_check_note),
  lastCheckedAt: textOrNull(r.last_checked_at),
  verifiedAt: textOrNull(r.verified_at),
  createdAt: text(r.created_at),
});

/** The records to publish, each with what its last lookup found. */
export const recordsOf = (row: SendingDomainRow) => recordsFor(row.domain, row);

/** A row → the wire entity. */
export function toSendingDomain(row: SendingDomainRow): SendingDomain {
  return {
    id: row.id,
    domain: row.domain,
    display: displayDomain(row.domain),
    status: row.status,
    failure: row.failure,
    strictAlignment: row.strictAlignment,
    lastCheckNote: row.lastCheckNote,
    records: recordsOf(row).map((spec) => {
      const check = row.lastChecks.find((c) => c.purpose === spec.purpose);
      return { purpose: spec.purpose, type: 'TXT' as const, name: spec.name, value: spec.value, check: check ? { outcome: check.outcome, message: check.message } : null };
    }),
    lastCheckedAt: row.lastCheckedAt,
    verifiedAt: row.verifiedAt,
    createdAt: row.createdAt,
  };
}

/** A canonical (xn--) domain as people read it: international names in Unicode (node:url, UTS #46). */
export function displayDomain(domain: string): string {
  return domainToUnicode(domain) || domain;
}

/** An address as recorded (canonical, xn--) as people read it: `anna@xn--bcher-kva.de` → `anna@bücher.de`; anything else as it is. */
export function displayAddress(recorded: string): string {
  const at = recorded.lastIndexOf('@');
  return at > 0 && recorded.includes('xn--', at) ? `${recorded.slice(0, at)}@${displayDomain(recorded.slice(at + 1))}` : recorded;
}
