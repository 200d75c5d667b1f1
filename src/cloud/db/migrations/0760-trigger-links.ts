/**
 * 0760: trigger links (Automation → Trigger links). A practice's named https links that its text
 * messages carry as `{{trigger_link.<key>}}`; each contact gets a tracked short link of their own
 * (`/l/<token>`), so clicks are counted per link, per contact and per workflow step.
 */
export const name = 'trigger-links';
export const sql = /* sql */ `
CREATE TABLE trigger_links (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  name        text NOT NULL,
  -- What messages name it by; fixed at creation, and never given to another link of the practice
  -- (a deleted link's too), so a message can never start leading somewhere else.
  key         text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  url         text NOT NULL CHECK (url LIKE 'https://%' AND length(url) <= 2048),
  created_by  text REFERENCES users(id),
  updated_by  text REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- Soft delete: texts already sent keep redirecting; nothing new names it.
  deleted_at  timestamptz
);
CREATE UNIQUE INDEX trigger_links_key ON trigger_links (account_id, key);
CREATE UNIQUE INDEX trigger_links_live_name ON trigger_links (account_id, lower(name)) WHERE deleted_at IS NULL;

-- One contact's tracked link to a trigger link: the unguessable token of /l/<token>.
CREATE TABLE trigger_link_tokens (
  token            text PRIMARY KEY,
  account_id       text NOT NULL REFERENCES accounts(id),
  link_id          text NOT NULL REFERENCES trigger_links(id),
  contact_id       text REFERENCES contacts(id),
  -- The workflow step whose message carried it (its Clicked statistic); null for a test send.
  run_id           text,
  step_key         text,
  step_id          text,
  workflow_id      text,
  -- The number the text went to (the statistic's recipient).
  recipient        text,
  -- A Manual SMS step's task, and the message once it is recorded (sent).
  task_id          text REFERENCES tasks(id),
  message_id       text REFERENCES outbound_messages(id) ON DELETE SET NULL,
  -- Send Test SMS: redirects like any other, not counted in the link's figures.
  test             boolean NOT NULL DEFAULT false,
  clicks           integer NOT NULL DEFAULT 0,
  first_clicked_at timestamptz,
  last_clicked_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (test OR contact_id IS NOT NULL)
);
-- A step makes one token per link: a retried step hands out the same one.
CREATE UNIQUE INDEX trigger_link_tokens_step ON trigger_link_tokens (run_id, step_key, link_id) WHERE run_id IS NOT NULL;
CREATE INDEX trigger_link_tokens_link ON trigger_link_tokens (link_id, last_clicked_at DESC);
CREATE INDEX trigger_link_tokens_message ON trigger_link_tokens (message_id) WHERE message_id IS NOT NULL;
`;
