/**
 * 0500: AI agents. An agent answers some of the practice's lines (always, after hours, or when no
 * one answers) through ConversationRelay; its actions are cards: During the Call (tools the brain
 * may call; at most 15, at most 1 booking) and After the Call (contact-field updates; at most 25).
 * The limits are enforced by the service under the agent's row lock, and by the desktop builder.
 * A call the agent handled keeps its transcript, summary and the log of what the agent did.
 */
export const name = 'ai-agents';
export const sql = /* sql */ `
CREATE TABLE agents (
  id              text PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts(id),
  name            text NOT NULL,
  -- phone_numbers ids (JSON array of text) this agent answers
  line_ids        jsonb NOT NULL DEFAULT '[]',
  answer_when     text NOT NULL CHECK (answer_when IN ('always', 'after_hours', 'no_answer')),
  -- { timeZone, days: [0..6], opens: 'HH:MM', closes: 'HH:MM' }: outside them is "after hours"
  business_hours  jsonb NOT NULL,
  greeting        text NOT NULL,
  goals           text NOT NULL DEFAULT '',
  enabled         boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX agents_account ON agents (account_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX agents_live_name ON agents (account_id, lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE agent_actions (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  agent_id    text NOT NULL REFERENCES agents(id),
  phase       text NOT NULL CHECK (phase IN ('during', 'after')),
  type        text NOT NULL CHECK (type IN ('call_transfer', 'trigger_workflow', 'send_sms', 'book_appointment', 'custom_action', 'update_contact_field')),
  name        text NOT NULL,
  config      jsonb NOT NULL,
  position    integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((phase = 'after') = (type = 'update_contact_field'))
);
CREATE INDEX agent_actions_agent ON agent_actions (agent_id, phase, position);

ALTER TABLE calls ADD COLUMN agent_id text REFERENCES agents(id);
-- [{ role: 'agent'|'caller', text, at }]
ALTER TABLE calls ADD COLUMN agent_transcript jsonb;
ALTER TABLE calls ADD COLUMN agent_summary text;
-- [{ actionId, type, name, status: 'done'|'failed'|'refused', detail, at }]
ALTER TABLE calls ADD COLUMN agent_actions jsonb;
`;
