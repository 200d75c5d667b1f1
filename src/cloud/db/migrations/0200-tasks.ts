/**
 * 0200: tasks — the Manual Actions queue (Manual SMS / Manual Call steps of workflows). The minimal
 * model of WAVE2-CONTRACTS.md, created by the automation engine because the workflow steps need it;
 * the manual-actions work extends it (migrations 210–290). Status machine: queued → in_progress →
 * completed | skipped | cancelled | expired. Finishing writes `task.finished` (the run resumes).
 */
export const name = 'tasks';
export const sql = /* sql */ `
CREATE TABLE tasks (
  id                text PRIMARY KEY,
  account_id        text NOT NULL REFERENCES accounts(id),
  type              text NOT NULL CHECK (type IN ('call', 'sms')),
  contact_id        text NOT NULL REFERENCES contacts(id),
  title             text NOT NULL,
  message           text,
  from_number_id    text REFERENCES phone_numbers(id),
  -- Who works it (null: Unassigned), and whom the workflow asked for.
  assigned_user_id  text REFERENCES users(id),
  selected_user_id  text REFERENCES users(id),
  workflow_id       text,
  workflow_version  integer,
  run_id            text,
  step_key          text,
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'in_progress', 'completed', 'skipped', 'cancelled', 'expired')),
  reason            text,
  finished_by       text REFERENCES users(id),
  seq               bigint NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  -- One task per workflow step: a re-run step finds its task instead of queueing a second one.
  UNIQUE (run_id, step_key)
);
CREATE INDEX tasks_account_seq ON tasks (account_id, seq);
CREATE INDEX tasks_open ON tasks (account_id, assigned_user_id, created_at) WHERE status IN ('queued', 'in_progress');
`;
