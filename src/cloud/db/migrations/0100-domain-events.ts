/**
 * 0100: domain events (src/cloud/events). A change that can set off a workflow writes one row here
 * in the same transaction as the change, so no trigger is lost and none fires for a rolled-back
 * change. The automation engine's dispatcher claims undispatched rows (SKIP LOCKED, any number of
 * workers) and marks them dispatched; dispatched rows are purged after the log retention period.
 * Subject ids are plain columns without foreign keys: an event outlives what it talks about.
 */
export const name = 'domain-events';
export const sql = /* sql */ `
CREATE TABLE domain_events (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts(id),
  type            text NOT NULL,
  contact_id      text,
  call_id         text,
  appointment_id  text,
  task_id         text,
  run_id          text,
  actor_user_id   text,
  payload         jsonb NOT NULL DEFAULT '{}',
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at   timestamptz,
  -- Set when dispatching this event failed (a bug, bad data): it is not retried forever.
  dispatch_error  text
);
-- The dispatcher's work list: small, because rows leave it as soon as they are dispatched.
CREATE INDEX domain_events_pending ON domain_events (id) WHERE dispatched_at IS NULL;
CREATE INDEX domain_events_account ON domain_events (account_id, id DESC);
CREATE INDEX domain_events_contact ON domain_events (contact_id, id DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX domain_events_dispatched ON domain_events (dispatched_at) WHERE dispatched_at IS NOT NULL;
`;
