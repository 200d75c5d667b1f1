/**
 * 0400: Call Reporting. The practice's time zone, each call's source and transfer origin, what a
 * call counts as (`report_status`) with its ring and talk seconds as stored generated columns (the
 * one SQL twin of src/shared/reporting/status.ts), and covering indexes for the report's filters:
 * every filter and measure is in the index, so figures come from index-only scans of the range.
 * Adding stored generated columns rewrites `calls` once.
 */
export const name = 'reporting';
export const sql = /* sql */ `
ALTER TABLE accounts ADD COLUMN timezone text NOT NULL DEFAULT 'America/Los_Angeles';
UPDATE accounts a SET timezone = l.timezone
  FROM (SELECT DISTINCT ON (account_id) account_id, timezone FROM locations WHERE deleted_at IS NULL ORDER BY account_id, created_at, id) l
 WHERE l.account_id = a.id;

-- How the call came to be: dialled or received in the softphone, placed from a Manual Actions call
-- task, placed by a workflow (automation, AI agent), or handled outside the softphone (forwarded to
-- an outside phone, logged by hand). Features that create calls set it.
ALTER TABLE calls ADD COLUMN source text NOT NULL DEFAULT 'softphone'
  CHECK (source IN ('softphone', 'manual_task', 'workflow', 'external'));
-- A cold transfer to a colleague hands the call to them; this keeps who passed it on.
ALTER TABLE calls ADD COLUMN transferred_from_user_id text REFERENCES users(id);

ALTER TABLE calls ADD COLUMN report_status text GENERATED ALWAYS AS (
  CASE
    WHEN status = 'rejected' THEN 'blocked'
    WHEN source = 'external' THEN 'external'
    WHEN answered_at IS NOT NULL THEN 'answered'
    WHEN ended_at IS NULL AND status IN ('queued', 'ringing', 'in-progress') THEN 'live'
    WHEN direction = 'outbound' THEN 'no_answer'
    WHEN recordings @> '[{"kind":"voicemail"}]'::jsonb THEN 'voicemail'
    ELSE 'missed'
  END
) STORED;
ALTER TABLE calls ADD COLUMN ring_seconds integer GENERATED ALWAYS AS (
  CASE WHEN answered_at IS NOT NULL THEN greatest(0, round(extract(epoch FROM answered_at - started_at)))::integer END
) STORED;
ALTER TABLE calls ADD COLUMN talk_seconds integer GENERATED ALWAYS AS (
  CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN greatest(0, round(extract(epoch FROM ended_at - answered_at)))::integer END
) STORED;

-- The report's scan: one account, a time range, every filter column and measure included.
CREATE INDEX calls_report_range ON calls (account_id, started_at)
  INCLUDE (user_id, disposition_id, report_status, direction, phone_number_id, location_id, source, ring_seconds, talk_seconds, rang_user_ids);
-- The same for one user's calls (a receptionist's own report, an admin's user filter).
CREATE INDEX calls_report_user ON calls (account_id, user_id, started_at)
  INCLUDE (disposition_id, report_status, direction, phone_number_id, location_id, source, ring_seconds, talk_seconds);
`;
