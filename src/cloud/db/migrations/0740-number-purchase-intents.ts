/**
 * 0740: every purchase at Twilio is written down before Twilio is asked (numbers/ownership.ts).
 * All practices share one platform Twilio account, so a number found there after a purchase that
 * got no answer may be any practice's; it is taken as this purchase's only when its intent says
 * so (the intent's id is in the FriendlyName it was bought with) and no row records it.
 * - One pending purchase per number across the platform: two practices (or a double submit) never
 *   buy the same number at once. A pending intent older than a few minutes is settled as
 *   `unconfirmed` by the next purchase of the number.
 * - What became of it: `recorded` on a phone_numbers row, `not_bought`, `unconfirmed` (Twilio never
 *   answered), `released` (bought but not recordable: given back), `unrecorded` (bought, not
 *   recordable, and not given back because a row records the number: for the operator).
 * - phone_numbers gets indexes for "does any row record this number / this sid".
 */
export const name = 'number-purchase-intents';
export const sql = /* sql */ `
CREATE TABLE number_purchase_intents (
  id               text PRIMARY KEY,
  account_id       text NOT NULL REFERENCES accounts(id),
  phone_number     text NOT NULL CHECK (phone_number ~ '^\\+[1-9][0-9]{6,14}$'),
  -- A restore buying a held number back: the row it is for (NULL for a new number).
  phone_number_id  text REFERENCES phone_numbers(id),
  requested_by     text REFERENCES users(id),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'recorded', 'not_bought', 'unconfirmed', 'released', 'unrecorded')),
  twilio_sid       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  resolved_at      timestamptz,
  CONSTRAINT number_purchase_intents_resolved CHECK ((status = 'pending') = (resolved_at IS NULL)),
  CONSTRAINT number_purchase_intents_bought_sid CHECK (status NOT IN ('recorded', 'released', 'unrecorded') OR twilio_sid IS NOT NULL)
);
CREATE UNIQUE INDEX number_purchase_intents_one_pending ON number_purchase_intents (phone_number) WHERE status = 'pending';
CREATE INDEX number_purchase_intents_account ON number_purchase_intents (account_id, created_at);

CREATE INDEX phone_numbers_number ON phone_numbers (number);
CREATE INDEX phone_numbers_twilio_sid ON phone_numbers (twilio_sid) WHERE twilio_sid IS NOT NULL;
`;
