/**
 * 0610: what the communication actions send. Every SMS, WhatsApp message and email a workflow (or
 * a test send) hands to a provider is recorded before it leaves — its id is in the provider's
 * status callback URL and in its tracked links — so delivery receipts, opens and clicks find the
 * step and contact they belong to, and the contact's history shows what was sent.
 */
export const name = 'outbound-messages';
export const sql = /* sql */ `
CREATE TABLE outbound_messages (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts(id),
  channel        text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
  -- contact: Send SMS/Email; internal: Internal Notification to a user; review: Review Request; test: a test send.
  purpose        text NOT NULL CHECK (purpose IN ('contact', 'internal', 'review', 'test')),
  -- The workflow step that sent it (statistics are counted on it); null for test sends.
  run_id         text,
  step_id        text,
  workflow_id    text,
  contact_id     text REFERENCES contacts(id),
  -- Internal notifications: the team member it went to.
  user_id        text REFERENCES users(id),
  -- Review requests: who it was sent on behalf of (the contact's assigned user).
  sender_user_id text REFERENCES users(id),
  to_address     text NOT NULL,
  from_address   text,
  subject        text,
  body           text NOT NULL,
  -- Twilio's Message SID, or the SMTP Message-ID.
  provider_id    text,
  status         text NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'bounced', 'rejected')),
  error_code     text,
  error_message  text,
  -- The unguessable segment of the open pixel's URL (email).
  open_token     text UNIQUE,
  opened_at      timestamptz,
  clicked_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX outbound_messages_provider ON outbound_messages (channel, provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX outbound_messages_contact ON outbound_messages (account_id, contact_id, created_at DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX outbound_messages_step ON outbound_messages (workflow_id, step_id) WHERE workflow_id IS NOT NULL;

-- Links in sent messages are replaced by /l/<token> so a click is counted before the redirect.
CREATE TABLE tracked_links (
  token             text PRIMARY KEY,
  message_id        text NOT NULL REFERENCES outbound_messages(id) ON DELETE CASCADE,
  url               text NOT NULL,
  clicks            integer NOT NULL DEFAULT 0,
  first_clicked_at  timestamptz
);
CREATE INDEX tracked_links_message ON tracked_links (message_id);
`;
