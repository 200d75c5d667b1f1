/**
 * 0020: two-factor-protected profile changes (src/cloud/twofa). Verified channels, TOTP secrets,
 * hashed backup codes, challenges with hashed codes, and per-user wrong-code events.
 * Nothing here is synced: these tables carry no `seq`.
 */
export const name = 'two-factor';
export const sql = /* sql */ `
-- A verified email or phone: verified only while 'address' equals the profile's current value,
-- so a new phone number is unusable for codes until it is verified in its own right.
CREATE TABLE user_verified_channels (
  user_id      text NOT NULL REFERENCES users(id),
  kind         text NOT NULL CHECK (kind IN ('email', 'sms')),
  address      text NOT NULL,
  verified_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, kind)
);

CREATE TABLE user_totp (
  user_id          text PRIMARY KEY REFERENCES users(id),
  -- AES-256-GCM sealed base32 secret (key in server_secrets 'twofa-totp').
  secret_sealed    text,
  enabled_at       timestamptz,
  -- An enrolment waiting for its first code; replaces the secret on confirm.
  pending_sealed   text,
  pending_at       timestamptz,
  -- The newest time step accepted: a code of this step or an older one is a replay.
  last_used_step   bigint
);

CREATE TABLE user_backup_codes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users(id),
  code_hash  text NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX user_backup_codes_user ON user_backup_codes (user_id) WHERE used_at IS NULL;

CREATE TABLE two_factor_challenges (
  id                 text PRIMARY KEY,
  account_id         text NOT NULL REFERENCES accounts(id),
  -- Whose profile is protected (and whose limits apply); the actor may be an admin.
  user_id            text NOT NULL REFERENCES users(id),
  actor_user_id      text NOT NULL REFERENCES users(id),
  purpose            text NOT NULL CHECK (purpose IN ('phone_change', 'verify_email', 'verify_phone', 'totp_enrol')),
  channel            text NOT NULL CHECK (channel IN ('email', 'sms', 'totp', 'backup_code')),
  destination        text,
  new_phone          text,
  -- HMAC-SHA256 of the current code (email/SMS); NULL for TOTP and backup codes.
  code_hash          text,
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  last_sent_at       timestamptz,
  send_count         integer NOT NULL DEFAULT 0,
  closed_at          timestamptz,
  closed_reason      text CHECK (closed_reason IN ('verified', 'cancelled', 'superseded', 'delivery_failed', 'locked'))
);
CREATE INDEX two_factor_challenges_user_purpose ON two_factor_challenges (user_id, purpose, created_at);

CREATE TABLE two_factor_failures (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users(id),
  challenge_id text REFERENCES two_factor_challenges(id),
  at          timestamptz NOT NULL
);
CREATE INDEX two_factor_failures_user_at ON two_factor_failures (user_id, at);
`;
