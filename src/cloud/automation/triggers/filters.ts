import type { CallDetailsFilters, TagFilter } from '../../../shared/cloud/workflows';

/**
 * Trigger filters as pure decisions (table-tested in filters.test.ts). The dispatcher gathers the
 * facts from the database and asks these whether a published workflow's trigger matches.
 */
export function tagFilterHolds(filter: TagFilter | undefined, tags: readonly string[]): boolean {
  if (!filter) return true;
  const have = new Set(tags.map((t) => t.toLowerCase()));
  if (filter.any?.length && !filter.any.some((t) => have.has(t.toLowerCase()))) return false;
  if (filter.all?.length && !filter.all.every((t) => have.has(t.toLowerCase()))) return false;
  if (filter.none?.length && filter.none.some((t) => have.has(t.toLowerCase()))) return false;
  return true;
}

export type CallStatusFact = 'answered' | 'missed' | 'voicemail' | 'blocked';

export interface CallFacts {
  dispositionId: string | null;
  direction: 'inbound' | 'outbound';
  durationSeconds: number | null;
  contactTags: readonly string[];
  /** Every status filter value the call satisfies (a voicemail is also a missed call). */
  statuses: ReadonlySet<CallStatusFact>;
  phoneNumberId: string | null;
}

/**
 * Call Details. `moment` is what happened: a disposition was set/changed, or the call ended.
 * Workflows filtering on a disposition fire only on the former; all others only on the latter —
 * so no workflow fires twice for one call.
 */
export function callDetailsMatch(filters: CallDetailsFilters, facts: CallFacts, moment: 'disposition' | 'ended'): boolean {
  const byDisposition = (filters.dispositionIds?.length ?? 0) > 0;
  if (moment === 'disposition') {
    if (!byDisposition || !facts.dispositionId || !filters.dispositionIds!.includes(facts.dispositionId)) return false;
  } else if (byDisposition) {
    return false;
  }
  if (filters.direction && filters.direction !== facts.direction) return false;
  if (filters.durationSeconds) {
    const d = facts.durationSeconds ?? 0;
    if (filters.durationSeconds.gte !== undefined && d < filters.durationSeconds.gte) return false;
    if (filters.durationSeconds.lte !== undefined && d > filters.durationSeconds.lte) return false;
  }
  if (!tagFilterHolds(filters.contactTags, facts.contactTags)) return false;
  if (filters.callStatus?.length && !filters.callStatus.some((s) => facts.statuses.has(s))) return false;
  if (filters.phoneNumberIds?.length && (!facts.phoneNumberId || !filters.phoneNumberIds.includes(facts.phoneNumberId))) return false;
  return true;
}

/** The status facts of a stored call. */
export function callStatusFacts(call: { status: string; answered_at: string | null; recordings: { kind?: string }[] }): Set<CallStatusFact> {
  const facts = new Set<CallStatusFact>();
  if (call.status === 'rejected') {
    facts.add('blocked');
    return facts;
  }
  if (call.answered_at) facts.add('answered');
  else facts.add('missed');
  if (call.recordings.some((r) => r.kind === 'voicemail')) facts.add('voicemail');
  return facts;
}
