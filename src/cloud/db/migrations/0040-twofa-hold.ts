/**
 * 0040: phone changes held for a cooling-off period (issue [security] #2). A phone change approved
 * within 24 hours of an authenticator app being set up does not apply at once: it waits here until
 * `applies_at`, the addresses on file are told, and the user or an admin can cancel it meanwhile.
 */
export const name = 'twofa-hold';
export const sql = /* sql */ `
CREATE TABLE held_phone_changes (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts(id),
  user_id        text NOT NULL REFERENCES users(id),
  actor_user_id  text NOT NULL REFERENCES users(id),
  challenge_id   text NOT NULL REFERENCES two_factor_challenges(id),
  new_phone      text NOT NULL CHECK (new_phone ~ '^\\+[1-9][0-9]{6,14}$'),
  held_at        timestamptz NOT NULL,
  applies_at     timestamptz NOT NULL CHECK (applies_at >= held_at),
  closed_at      timestamptz,
  closed_reason  text CHECK (closed_reason IN ('applied', 'cancelled', 'superseded')),
  closed_by      text REFERENCES users(id),
  CHECK ((closed_at IS NULL) = (closed_reason IS NULL))
);
-- At most one open hold per user: a newer change replaces it.
CREATE UNIQUE INDEX held_phone_changes_open ON held_phone_changes (user_id) WHERE closed_at IS NULL;
CREATE INDEX held_phone_changes_due ON held_phone_changes (applies_at) WHERE closed_at IS NULL;
`;
