/**
 * 0030: what the security review asked for (issue [security]).
 * - login_throttle: failed sign-ins counted per account and per client address, reserved in one
 *   statement BEFORE the password is checked, so concurrent guesses cannot all be checked.
 * - realtime_tickets: one-time, short-lived tickets for the realtime socket (the hash only), so no
 *   access token ever travels in a URL.
 * - accounts.country, call_countries, outbound_calls_per_user_hour and outbound_dials: toll-fraud
 *   controls (destinations allowed, dials per user per hour).
 */
export const name = 'security';
export const sql = /* sql */ `
CREATE TABLE login_throttle (
  -- 'account:<email>' or 'address:<ip>'
  key           text PRIMARY KEY,
  window_start  timestamptz NOT NULL,
  attempts      integer NOT NULL CHECK (attempts >= 0)
);

CREATE TABLE realtime_tickets (
  ticket_hash  text PRIMARY KEY,
  session_id   text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX realtime_tickets_expires ON realtime_tickets (expires_at);

-- The practice's own country (ISO 3166-1 alpha-2): where calls may go unless the admin allows more.
ALTER TABLE accounts ADD COLUMN country text NOT NULL DEFAULT 'US' CHECK (country ~ '^[A-Z]{2}$');
-- Countries outbound calls and transfers may reach; NULL: the account's own country only.
ALTER TABLE accounts ADD COLUMN call_countries jsonb CHECK (call_countries IS NULL OR jsonb_typeof(call_countries) = 'array');
ALTER TABLE accounts ADD COLUMN outbound_calls_per_user_hour integer NOT NULL DEFAULT 60 CHECK (outbound_calls_per_user_hour BETWEEN 1 AND 10000);

-- Every dial out to the phone network a user caused (a placed call, a transfer to a number).
CREATE TABLE outbound_dials (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts(id),
  user_id     text NOT NULL REFERENCES users(id),
  kind        text NOT NULL CHECK (kind IN ('call', 'transfer')),
  to_number   text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbound_dials_user_at ON outbound_dials (user_id, at);
`;
