/**
 * 0780: unconfirmed purchases are settled by a sweep (numbers/unconfirmed-job.ts), not left for an
 * admin's retry. A purchase is `unconfirmed` when neither Twilio's answer to the buy nor the
 * look-up after it came back; the sweep asks Twilio again once a short grace period has passed and
 * adopts the number (when it carries the purchase's tag) or settles the purchase as not bought.
 * - `location_id`: where the admin asked the number to ring (Proceed to Buy's "Rings by default"),
 *   so a number adopted later rings where a number bought at once would.
 * - `unconfirmed_at`: when it became unconfirmed (the grace runs from here; kept once settled, so
 *   the numbers screen can say what became of it). Every unconfirmed purchase has one.
 * - `checked_at`: the sweep's last look-up, which is also its claim: two workers never check one
 *   purchase at once, and one Twilio did not answer is asked again a few minutes later.
 */
export const name = 'number-purchase-checks';
export const sql = /* sql */ `
ALTER TABLE number_purchase_intents ADD COLUMN location_id text REFERENCES locations(id);
ALTER TABLE number_purchase_intents ADD COLUMN unconfirmed_at timestamptz;
ALTER TABLE number_purchase_intents ADD COLUMN checked_at timestamptz;
UPDATE number_purchase_intents SET unconfirmed_at = resolved_at WHERE status = 'unconfirmed';
ALTER TABLE number_purchase_intents ADD CONSTRAINT number_purchase_intents_unconfirmed_at CHECK (status <> 'unconfirmed' OR unconfirmed_at IS NOT NULL);
CREATE INDEX number_purchase_intents_to_check ON number_purchase_intents (unconfirmed_at) WHERE status = 'unconfirmed';
CREATE INDEX number_purchase_intents_was_unconfirmed ON number_purchase_intents (account_id, unconfirmed_at) WHERE unconfirmed_at IS NOT NULL;
`;
