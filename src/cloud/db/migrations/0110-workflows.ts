/**
 * 0110: the automation engine's tables (src/cloud/automation). What a workflow MEANS lives here —
 * documents and their frozen versions, runs pinned to a version, one row per step per run (the
 * execution log), the intent ledger of side effects, per-step metrics. pg-boss (its own schema
 * `pgboss`) only schedules and delivers the jobs that move these rows forward.
 */
export const name = 'workflows';
export const sql = /* sql */ `
CREATE TABLE workflows (
  id                   text PRIMARY KEY,
  account_id           text NOT NULL REFERENCES accounts(id),
  name                 text NOT NULL,
  status               text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'paused')),
  draft                jsonb NOT NULL,
  published_version    integer,
  -- The trigger type of the published version, for the dispatcher's lookup.
  trigger_type         text,
  -- SHA-256 of the inbound webhook secret (the secret is shown once, when issued).
  webhook_secret_hash  text,
  created_by           text REFERENCES users(id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz
);
CREATE INDEX workflows_account ON workflows (account_id, created_at) WHERE deleted_at IS NULL;
CREATE INDEX workflows_trigger ON workflows (account_id, trigger_type) WHERE status = 'published' AND deleted_at IS NULL;

CREATE TABLE workflow_versions (
  workflow_id   text NOT NULL REFERENCES workflows(id),
  version       integer NOT NULL,
  document      jsonb NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  published_by  text REFERENCES users(id),
  PRIMARY KEY (workflow_id, version)
);

CREATE TABLE workflow_runs (
  id              text PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts(id),
  workflow_id     text NOT NULL REFERENCES workflows(id),
  version         integer NOT NULL,
  contact_id      text,
  status          text NOT NULL CHECK (status IN ('running', 'waiting', 'completed', 'stopped', 'failed')),
  trigger         text NOT NULL,
  event_id        bigint,
  -- One run per workflow per triggering occurrence (an event replayed by a second dispatcher
  -- starts nothing); the Call Details undo rule keys on the call and disposition here.
  dedupe_key      text NOT NULL,
  -- What the trigger supplied: the call, the appointment, webhook fields, custom values.
  context         jsonb NOT NULL DEFAULT '{}',
  -- Copied from the version's settings: Stop on Response finds the runs to stop without reading documents.
  stop_on_response boolean NOT NULL DEFAULT false,
  reason          text,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  UNIQUE (workflow_id, dedupe_key)
);
CREATE INDEX workflow_runs_workflow ON workflow_runs (workflow_id, started_at DESC);
CREATE INDEX workflow_runs_contact ON workflow_runs (account_id, contact_id, started_at DESC);
CREATE INDEX workflow_runs_active_contact ON workflow_runs (contact_id) WHERE status IN ('running', 'waiting');
CREATE INDEX workflow_runs_finished ON workflow_runs (finished_at) WHERE finished_at IS NOT NULL;

-- The execution log: one row per step per run. (run_id, step_key) is the step's unique key.
CREATE TABLE run_steps (
  run_id        text NOT NULL REFERENCES workflow_runs(id) ON DELETE CASCADE,
  step_key      text NOT NULL,
  account_id    text NOT NULL,
  workflow_id   text NOT NULL,
  version       integer NOT NULL,
  contact_id    text,
  step_id       text NOT NULL,
  name          text NOT NULL,
  type          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'error', 'skipped', 'removed')),
  attempts      integer NOT NULL DEFAULT 0,
  -- A running step belongs to its claimer until then; a crashed worker's claim lapses.
  lease_until   timestamptz,
  -- The worker (host:pid) that last claimed the step: operations can see where a step ran.
  claimed_by    text,
  input         jsonb,
  output        jsonb,
  reason        text,
  blank_fields  jsonb NOT NULL DEFAULT '[]',
  -- Waiting: until when, and for which outside signal (task:<id>, call:<sid>…).
  wait_until    timestamptz,
  wait_key      text,
  -- What woke a waiting step (a signal or its deadline), kept until the resume finishes so a
  -- worker that dies mid-resume is replaced by one that resumes the same way.
  wake          jsonb,
  -- When the sweeper last re-delivered this step's job (a lost job is re-sent at most every few minutes).
  nudged_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  duration_ms   integer,
  PRIMARY KEY (run_id, step_key)
);
CREATE INDEX run_steps_workflow ON run_steps (workflow_id, step_id, status);
CREATE INDEX run_steps_contact ON run_steps (account_id, contact_id, created_at DESC);
CREATE INDEX run_steps_wait_key ON run_steps (wait_key) WHERE status = 'waiting' AND wait_key IS NOT NULL;
CREATE INDEX run_steps_unfinished ON run_steps (lease_until) WHERE status IN ('pending', 'running');
CREATE INDEX run_steps_waiting ON run_steps (wait_until) WHERE status = 'waiting';

-- Outside signals for waiting steps (task finished, call status, AMD result…), by wait key. Kept
-- even when no step waits on the key yet: a step that starts waiting finds a signal that came first.
CREATE TABLE step_signals (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts(id),
  wait_key     text NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  consumed_at  timestamptz
);
CREATE INDEX step_signals_open ON step_signals (wait_key, id) WHERE consumed_at IS NULL;
CREATE INDEX step_signals_created ON step_signals (created_at);

-- The intent ledger: a side effect is recorded here BEFORE it is performed and never performed
-- twice for the same (run, step key, effect key).
CREATE TABLE step_effects (
  run_id       text NOT NULL REFERENCES workflow_runs(id) ON DELETE CASCADE,
  step_key     text NOT NULL,
  effect_key   text NOT NULL,
  status       text NOT NULL CHECK (status IN ('intent', 'done', 'failed', 'in_doubt')),
  result       jsonb,
  error        text,
  attempts     integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  done_at      timestamptz,
  PRIMARY KEY (run_id, step_key, effect_key)
);

-- Per-action statistics (Delivered, Opened, Clicked…): one row per run, step and metric (and
-- subject, e.g. a recipient), so a metric counts once per run however often its callback repeats.
CREATE TABLE step_metrics (
  run_id       text NOT NULL REFERENCES workflow_runs(id) ON DELETE CASCADE,
  step_id      text NOT NULL,
  workflow_id  text NOT NULL,
  metric       text NOT NULL,
  subject      text NOT NULL DEFAULT '',
  at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, step_id, metric, subject)
);
CREATE INDEX step_metrics_workflow ON step_metrics (workflow_id, step_id, metric);

-- Account-level automation settings the actions need (Settings → Company).
CREATE TABLE automation_settings (
  account_id               text PRIMARY KEY REFERENCES accounts(id),
  company_phone            text,
  premium_actions_enabled  boolean NOT NULL DEFAULT false,
  log_retention_days       integer NOT NULL DEFAULT 365 CHECK (log_retention_days BETWEEN 1 AND 3650),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
`;
