import { NO_DISPOSITION, type ReportFilters } from '../../shared/cloud/reports';

/**
 * The report's filters as one SQL condition over `calls k`, with its parameters. Pure, so the
 * figures, the table and the CSV select exactly the same calls. Every condition except the range
 * and account reads columns that the covering indexes of migration 0400 include.
 *
 * "A user's calls" (the user filter, a team's members, a receptionist's own report) are the calls
 * that user handled, plus the unanswered calls that rang them and nobody handled: the calls their
 * missed-call alerts were about.
 */
export interface ReportSelection {
  accountId: string;
  timezone: string;
  /** First instant of the range and of the day after it. */
  startUtc: string;
  endUtc: string;
  filters: ReportFilters;
  /** A receptionist's report: only this user's calls. */
  ownUserId: string | null;
  /** Members of the selected teams (null: no team filter; empty: no one, so no calls). */
  teamMemberIds: string[] | null;
}

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

export function reportWhere(selection: ReportSelection, firstParam = 1): SqlCondition {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const { filters: f } = selection;
  const where = [`k.account_id = ${p(selection.accountId)}`, `k.started_at >= ${p(selection.startUtc)}::timestamptz`, `k.started_at < ${p(selection.endUtc)}::timestamptz`];
  const usersCalls = (ids: string[]): string => {
    const list = p(ids);
    return `(k.user_id = ANY(${list}::text[]) OR (k.user_id IS NULL AND k.rang_user_ids ?| ${list}::text[]))`;
  };
  if (selection.ownUserId !== null) where.push(usersCalls([selection.ownUserId]));
  if (f.userIds.length > 0) where.push(usersCalls(f.userIds));
  if (selection.teamMemberIds !== null) where.push(selection.teamMemberIds.length > 0 ? usersCalls(selection.teamMemberIds) : 'false');
  if (f.dispositionIds.length > 0) {
    const ids = f.dispositionIds.filter((id) => id !== NO_DISPOSITION);
    const none = ids.length < f.dispositionIds.length;
    const parts = [...(ids.length > 0 ? [`k.disposition_id = ANY(${p(ids)}::text[])`] : []), ...(none ? ['k.disposition_id IS NULL'] : [])];
    where.push(parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`);
  }
  if (f.locationIds.length > 0) where.push(`k.location_id = ANY(${p(f.locationIds)}::text[])`);
  if (f.lineIds.length > 0) where.push(`k.phone_number_id = ANY(${p(f.lineIds)}::text[])`);
  if (f.directions.length > 0) where.push(`k.direction = ANY(${p(f.directions)}::text[])`);
  if (f.statuses.length > 0) where.push(`k.report_status = ANY(${p(f.statuses)}::text[])`);
  if (f.sources.length > 0) where.push(`k.source = ANY(${p(f.sources)}::text[])`);
  if (f.minTalkSeconds !== undefined) where.push(`coalesce(k.talk_seconds, 0) >= ${p(f.minTalkSeconds)}::int`);
  if (f.maxTalkSeconds !== undefined) where.push(`coalesce(k.talk_seconds, 0) <= ${p(f.maxTalkSeconds)}::int`);
  if (f.weekdays.length > 0 || f.hours.length > 0) {
    const local = `(k.started_at AT TIME ZONE ${p(selection.timezone)}::text)`;
    if (f.weekdays.length > 0) where.push(`(extract(isodow FROM ${local})::int - 1) = ANY(${p(f.weekdays)}::int[])`);
    if (f.hours.length > 0) where.push(`extract(hour FROM ${local})::int = ANY(${p(f.hours)}::int[])`);
  }
  return { sql: where.join('\n   AND '), params };
}
