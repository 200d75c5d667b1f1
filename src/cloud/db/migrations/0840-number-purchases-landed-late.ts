/**
 * 0840: purchases that land at Twilio after they were settled as not bought. Twilio may finish a
 * purchase whose answer was lost after the app told the admin it was not bought (the sweep, or a
 * look-up right after that found nothing yet); the reconciliation (numbers/reconcile-job.ts) finds
 * such a number in the platform's Twilio account, still tagged with the purchase, and gives it back.
 * - `reconcile_claimed_at`: a reconciliation run's claim on the purchase before it asks Twilio to
 *   release the number, so two runs never act on one (a claim older than a few minutes has lapsed).
 * - `landed_late_at`: when its number was found at Twilio after all (and given back: the purchase
 *   is then `released`), so Settings → Phone Numbers can say so.
 */
export const name = 'number-purchases-landed-late';
export const sql = /* sql */ `
ALTER TABLE number_purchase_intents ADD COLUMN reconcile_claimed_at timestamptz;
ALTER TABLE number_purchase_intents ADD COLUMN landed_late_at timestamptz;
ALTER TABLE number_purchase_intents ADD CONSTRAINT number_purchase_intents_landed_late CHECK (landed_late_at IS NULL OR status = 'released');
CREATE INDEX number_purchase_intents_landed_late ON number_purchase_intents (account_id, landed_late_at) WHERE landed_late_at IS NOT NULL;
`;
