/**
 * 0300: the phone-number lifecycle of seed 001 (issue [numbers]).
 * - phone_numbers learn what they are at Twilio (sid, country, type, capabilities) and where they
 *   are in their life: `active`, `held` (deleted without releasing: restorable until
 *   release_due_at, 10 days) or `released` (given back to Twilio for good). A deleted number is a
 *   soft-deleted row (deleted_at, as sync already understands), so active ⇔ deleted_at IS NULL.
 *   `operation` marks a Twilio call in flight on the row (a release or a restore), so two of them
 *   never race; a crashed one is taken over after a few minutes.
 * - Billing: the monthly fee a number is billed at and since when (its purchase, or its restore —
 *   billing restarts then); a held or released number is not billed. number_charges keeps each
 *   charge made at a purchase or a restore.
 * - number_prices: the platform's price table per country and number type (monthly fee and
 *   per-minute rates, in millionths of the currency), shown before buying; the operator changes it
 *   with `npm run cloud:prices`.
 */
export const name = 'number-lifecycle';
export const sql = /* sql */ `
CREATE TABLE number_prices (
  country                     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  number_type                 text NOT NULL CHECK (number_type IN ('local', 'toll-free', 'mobile')),
  currency                    text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  monthly_fee_micros          bigint NOT NULL CHECK (monthly_fee_micros >= 0),
  inbound_per_minute_micros   bigint NOT NULL CHECK (inbound_per_minute_micros >= 0),
  outbound_per_minute_micros  bigint NOT NULL CHECK (outbound_per_minute_micros >= 0),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (country, number_type)
);
-- Defaults the operator is expected to review (Twilio's list prices of the day plus a margin).
INSERT INTO number_prices (country, number_type, monthly_fee_micros, inbound_per_minute_micros, outbound_per_minute_micros) VALUES
  ('US', 'local',     1500000,  10000,  16000),
  ('US', 'toll-free', 2500000,  25000,  16000),
  ('CA', 'local',     1500000,  10000,  16000),
  ('CA', 'toll-free', 2500000,  25000,  16000),
  ('GB', 'local',     1500000,  12000,  20000),
  ('GB', 'mobile',    1500000,  12000,  50000),
  ('GB', 'toll-free', 2500000,  60000,  20000),
  ('AU', 'local',     4000000,  12000,  30000),
  ('AU', 'mobile',    7000000,  12000,  30000),
  ('AU', 'toll-free', 17000000, 60000,  30000);

ALTER TABLE phone_numbers ADD COLUMN twilio_sid text;
ALTER TABLE phone_numbers ADD COLUMN country text NOT NULL DEFAULT 'US' CHECK (country ~ '^[A-Z]{2}$');
ALTER TABLE phone_numbers ADD COLUMN number_type text NOT NULL DEFAULT 'local' CHECK (number_type IN ('local', 'toll-free', 'mobile'));
ALTER TABLE phone_numbers ADD COLUMN capabilities jsonb NOT NULL DEFAULT '{"voice": true, "sms": true, "mms": true, "fax": false}'
  CHECK (jsonb_typeof(capabilities) = 'object');
ALTER TABLE phone_numbers ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'held', 'released'));
ALTER TABLE phone_numbers ADD COLUMN deleted_by text REFERENCES users(id);
ALTER TABLE phone_numbers ADD COLUMN release_due_at timestamptz;
ALTER TABLE phone_numbers ADD COLUMN released_at timestamptz;
ALTER TABLE phone_numbers ADD COLUMN billing_since timestamptz;
ALTER TABLE phone_numbers ADD COLUMN monthly_fee_micros bigint CHECK (monthly_fee_micros >= 0);
ALTER TABLE phone_numbers ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$');
ALTER TABLE phone_numbers ADD COLUMN operation text CHECK (operation IN ('releasing', 'restoring'));
ALTER TABLE phone_numbers ADD COLUMN operation_at timestamptz;

-- Numbers deleted before the lifecycle existed cannot be restored: they count as released.
UPDATE phone_numbers SET status = 'released', released_at = deleted_at WHERE deleted_at IS NOT NULL;
-- Live numbers are the practice's already: billed at today's price since they were added.
UPDATE phone_numbers pn SET billing_since = pn.created_at, monthly_fee_micros = p.monthly_fee_micros, currency = p.currency
  FROM number_prices p WHERE pn.deleted_at IS NULL AND p.country = pn.country AND p.number_type = pn.number_type;

ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_status_deleted CHECK ((status = 'active') = (deleted_at IS NULL));
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_held_due CHECK (status <> 'held' OR release_due_at IS NOT NULL);
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_released_at CHECK (status <> 'released' OR released_at IS NOT NULL);
-- Only a live number can be a member's Inbound Number.
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_assigned_live CHECK (status = 'active' OR assigned_user_id IS NULL);
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_billing CHECK ((billing_since IS NULL) = (monthly_fee_micros IS NULL) AND (monthly_fee_micros IS NULL) = (currency IS NULL));
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_operation CHECK ((operation IS NULL) = (operation_at IS NULL));
-- The automatic release looks for held numbers that are due.
CREATE INDEX phone_numbers_release_due ON phone_numbers (release_due_at) WHERE status = 'held';

CREATE TABLE number_charges (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id       text NOT NULL REFERENCES accounts(id),
  phone_number_id  text NOT NULL REFERENCES phone_numbers(id),
  reason           text NOT NULL CHECK (reason IN ('purchase', 'restore')),
  amount_micros    bigint NOT NULL CHECK (amount_micros >= 0),
  currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  period_start     timestamptz NOT NULL,
  period_end       timestamptz NOT NULL CHECK (period_end > period_start),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX number_charges_number ON number_charges (phone_number_id, created_at);
`;
