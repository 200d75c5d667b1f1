/**
 * 0810: Settings → Email replies. One row per practice that has rotated its inbound email secret
 * or received an inbound email. `secret_generation` is the counter the secret is derived from
 * (with the server key ring, messaging/inbound-email-signature.ts): the secret itself is never
 * stored, and the counter alone signs nothing. No row = generation 0, the secret every practice
 * had before rotation existed. `last_received_at` is the last signed message the webhook took
 * (matched or not): it tells the admin the mail provider is really posting; `last_matched_at` the
 * last that answered an email the practice sent.
 */
export const name = 'inbound-email-settings';
export const sql = /* sql */ `
CREATE TABLE inbound_email_settings (
  account_id        text PRIMARY KEY REFERENCES accounts(id),
  secret_generation integer NOT NULL DEFAULT 0 CHECK (secret_generation >= 0),
  rotated_at        timestamptz,
  last_received_at  timestamptz,
  last_matched_at   timestamptz
);
`;
