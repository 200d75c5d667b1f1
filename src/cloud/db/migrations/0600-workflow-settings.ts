/**
 * 0600: the settings the workflow communication actions rely on (issue #18's list, cloud side):
 * saved email and SMS templates, the media library (attachments, voicemail recordings), Slack
 * workspace connections and their OAuth states, Reputation settings, and the WhatsApp sender with
 * the approved templates read from Twilio's Content API.
 */
export const name = 'workflow-settings';
export const sql = /* sql */ `
CREATE TABLE message_templates (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  -- Email only; SMS templates keep ''.
  subject     text NOT NULL DEFAULT '' CHECK (channel = 'email' OR subject = ''),
  body        text NOT NULL CHECK (length(body) >= 1),
  -- Bumped by every edit (optimistic concurrency for editors, and what synced steps compare).
  version     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by  text REFERENCES users(id),
  updated_by  text REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE UNIQUE INDEX message_templates_live_name ON message_templates (account_id, channel, lower(name)) WHERE deleted_at IS NULL;

-- The media library. Files live in the database (every API and worker instance serves them, and a
-- backup carries them); sizes are capped per file and per account by the service.
CREATE TABLE media_files (
  id            text PRIMARY KEY,
  account_id    text NOT NULL REFERENCES accounts(id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  content_type  text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('audio', 'image', 'document')),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  sha256        text NOT NULL,
  data          bytea NOT NULL,
  -- The unguessable segment of the public URL Twilio (<Play>), phones (SMS links) and mail clients fetch.
  public_token  text NOT NULL UNIQUE,
  -- Audio: length and bitrate (the seed: a voicemail that will not play → a 64 kbps MP3).
  duration_ms   integer,
  bitrate_kbps  integer,
  created_by    text REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);
CREATE INDEX media_files_account ON media_files (account_id, created_at DESC) WHERE deleted_at IS NULL;

-- Connected Slack workspaces. Tokens are stored encrypted (AES-256-GCM) with a key that is not in
-- this database (CLOUD_SECRETS_KEY), bound to the row (account, connection) so a row copied
-- elsewhere does not decrypt.
CREATE TABLE slack_connections (
  id                       text PRIMARY KEY,
  account_id               text NOT NULL REFERENCES accounts(id),
  team_id                  text NOT NULL,
  team_name                text NOT NULL,
  app_id                   text,
  bot_user_id              text,
  bot_token_enc            text NOT NULL,
  -- The installing person's token: messages to private channels are sent as that person (the seed).
  user_token_enc           text,
  installer_slack_user_id  text,
  bot_scopes               jsonb NOT NULL DEFAULT '[]',
  user_scopes              jsonb NOT NULL DEFAULT '[]',
  connected_by             text REFERENCES users(id),
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  disconnected_at          timestamptz,
  -- The last failure Slack reported for this workspace (token_revoked…), shown in Settings.
  last_error               text
);
CREATE UNIQUE INDEX slack_connections_live_team ON slack_connections (account_id, team_id) WHERE disconnected_at IS NULL;

-- OAuth "state" values of connects in progress (single use, short-lived; only their hash is kept).
CREATE TABLE slack_oauth_states (
  state_hash   text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts(id),
  user_id      text NOT NULL REFERENCES users(id),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_oauth_states_expiry ON slack_oauth_states (expires_at);

-- Reputation settings: where reviews are left and the wording of review requests.
CREATE TABLE reputation_settings (
  account_id        text PRIMARY KEY REFERENCES accounts(id),
  review_link       text,
  requests_enabled  boolean NOT NULL DEFAULT false,
  email_subject     text NOT NULL,
  email_body        text NOT NULL,
  sms_body          text NOT NULL CHECK (length(sms_body) <= 1600),
  updated_by        text REFERENCES users(id),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT requests_enabled OR review_link IS NOT NULL)
);

-- The WhatsApp sender: one of the account's numbers, enabled as a WhatsApp sender at Twilio.
CREATE TABLE whatsapp_senders (
  account_id       text PRIMARY KEY REFERENCES accounts(id),
  phone_number_id  text NOT NULL REFERENCES phone_numbers(id),
  updated_by       text REFERENCES users(id),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- WhatsApp message templates as Twilio's Content API reports them (refreshed on demand); only
-- approved ones may be used by the Internal Notification action.
CREATE TABLE whatsapp_templates (
  account_id        text NOT NULL REFERENCES accounts(id),
  content_sid       text NOT NULL,
  name              text NOT NULL,
  language          text NOT NULL DEFAULT 'en',
  body              text NOT NULL,
  -- Placeholders {{1}}, {{2}}… in order, with the sample values the template declared.
  variables         jsonb NOT NULL DEFAULT '{}',
  category          text,
  status            text NOT NULL CHECK (status IN ('approved', 'pending', 'received', 'rejected', 'paused', 'disabled', 'unsubmitted')),
  rejection_reason  text,
  synced_at         timestamptz NOT NULL DEFAULT now(),
  removed_at        timestamptz,
  PRIMARY KEY (account_id, content_sid)
);
`;
