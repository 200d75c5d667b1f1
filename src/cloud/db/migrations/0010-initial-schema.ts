/** 0010: the initial schema. Every synced table carries `seq` (account change sequence) and soft deletes. */
export const name = 'initial-schema';
export const sql = /* sql */ `
CREATE TABLE accounts (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  -- The account's change counter: bumped at the end of every writing transaction (row lock), so
  -- sequence numbers are handed out in commit order and a pull cursor never skips a change.
  change_seq  bigint NOT NULL DEFAULT 0,
  seq         bigint NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE locations (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  name        text NOT NULL,
  timezone    text NOT NULL DEFAULT 'America/Los_Angeles',
  seq         bigint NOT NULL DEFAULT 0,
  deleted_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX locations_account_seq ON locations (account_id, seq);

CREATE TABLE users (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts(id),
  email          text NOT NULL UNIQUE CHECK (email = lower(email)),
  name           text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'user')),
  password_hash  text NOT NULL,
  phone          text,
  location_ids   jsonb NOT NULL DEFAULT '[]',
  team_ids       jsonb NOT NULL DEFAULT '[]',
  seq            bigint NOT NULL DEFAULT 0,
  deleted_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_account_seq ON users (account_id, seq);

CREATE TABLE teams (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  name        text NOT NULL,
  seq         bigint NOT NULL DEFAULT 0,
  deleted_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_account_seq ON teams (account_id, seq);

CREATE TABLE phone_numbers (
  id                    text PRIMARY KEY,
  account_id            text NOT NULL REFERENCES accounts(id),
  location_id           text REFERENCES locations(id),
  number                text NOT NULL,
  name                  text NOT NULL,
  forwarding_number     text,
  caller_id_mode        text NOT NULL DEFAULT 'caller' CHECK (caller_id_mode IN ('caller', 'number')),
  call_connect          boolean NOT NULL DEFAULT false,
  whisper_message       text,
  record_calls          boolean NOT NULL DEFAULT false,
  ring_timeout_seconds  integer NOT NULL DEFAULT 20 CHECK (ring_timeout_seconds BETWEEN 5 AND 120),
  inbound_routing       text NOT NULL DEFAULT 'ring_all' CHECK (inbound_routing IN ('assigned_member', 'ring_all')),
  -- One inbound number per member, and one member per number.
  assigned_user_id      text UNIQUE REFERENCES users(id),
  ring_all_user_ids     jsonb NOT NULL DEFAULT '[]',
  seq                   bigint NOT NULL DEFAULT 0,
  deleted_at            timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX phone_numbers_live_number ON phone_numbers (number) WHERE deleted_at IS NULL;
CREATE INDEX phone_numbers_account_seq ON phone_numbers (account_id, seq);

CREATE TABLE contacts (
  id                text PRIMARY KEY,
  account_id        text NOT NULL REFERENCES accounts(id),
  location_id       text REFERENCES locations(id),
  name              text NOT NULL,
  phone             text,
  email             text,
  tags              jsonb NOT NULL DEFAULT '[]',
  assigned_user_id  text REFERENCES users(id),
  dnd               jsonb NOT NULL,
  seq               bigint NOT NULL DEFAULT 0,
  deleted_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_account_phone ON contacts (account_id, phone) WHERE deleted_at IS NULL;
CREATE INDEX contacts_account_seq ON contacts (account_id, seq);

CREATE TABLE dispositions (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  label       text NOT NULL,
  position    integer NOT NULL,
  seq         bigint NOT NULL DEFAULT 0,
  deleted_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispositions_account_seq ON dispositions (account_id, seq);

CREATE TABLE calls (
  id                text PRIMARY KEY,
  account_id        text NOT NULL REFERENCES accounts(id),
  location_id       text REFERENCES locations(id),
  twilio_call_sid   text UNIQUE,
  direction         text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  from_number       text NOT NULL,
  to_number         text NOT NULL,
  phone_number_id   text REFERENCES phone_numbers(id),
  user_id           text REFERENCES users(id),
  contact_id        text REFERENCES contacts(id),
  rang_user_ids     jsonb NOT NULL DEFAULT '[]',
  status            text NOT NULL,
  started_at        timestamptz NOT NULL DEFAULT now(),
  answered_at       timestamptz,
  ended_at          timestamptz,
  duration_seconds  integer,
  recordings        jsonb NOT NULL DEFAULT '[]',
  disposition_id    text REFERENCES dispositions(id),
  note              text,
  -- The far leg's CallSid (the <Dial> child), needed to transfer an outbound call's callee.
  other_leg_sid     text,
  seq               bigint NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_account_seq ON calls (account_id, seq);
CREATE INDEX calls_account_started ON calls (account_id, started_at DESC, id DESC);

CREATE TABLE notifications (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  user_id     text NOT NULL REFERENCES users(id),
  title       text NOT NULL,
  message     text NOT NULL,
  redirect    text,
  read_at     timestamptz,
  -- Makes creation idempotent (e.g. 'missed-call:<CallSid>' for a replayed status callback).
  dedupe_key  text,
  seq         bigint NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_user_seq ON notifications (user_id, seq);

CREATE TABLE audit_log (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts(id),
  actor_user_id  text REFERENCES users(id),
  action         text NOT NULL,
  entity         text NOT NULL,
  entity_id      text,
  details        jsonb NOT NULL DEFAULT '{}',
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_account_at ON audit_log (account_id, id DESC);

CREATE TABLE sessions (
  id              text PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users(id),
  device_name     text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  revoked_reason  text
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash  text PRIMARY KEY,
  session_id  text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  spent_at    timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE login_attempts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email      text NOT NULL,
  ip         text NOT NULL,
  succeeded  boolean NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_at ON login_attempts (email, at);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at);

CREATE TABLE applied_mutations (
  user_id          text NOT NULL REFERENCES users(id),
  idempotency_key  text NOT NULL,
  request_hash     text NOT NULL,
  result           jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, idempotency_key)
);

CREATE TABLE server_secrets (
  name   text PRIMARY KEY,
  value  text NOT NULL
);
`;
