/**
 * 0620: the Internal Notification rate limit — each team member receives at most 500
 * notifications (email, SMS, WhatsApp, in-app) per 5 minutes. One row per delivery slot taken,
 * keyed by the step that took it (a repeated attempt takes no second slot); a per-user lock row
 * serialises concurrent takers so the sliding window holds under concurrency.
 */
export const name = 'notification-rate';
export const sql = /* sql */ `
CREATE TABLE notification_slots (
  account_id  text NOT NULL REFERENCES accounts(id),
  user_id     text NOT NULL REFERENCES users(id),
  channel     text NOT NULL CHECK (channel IN ('email', 'in_app', 'sms', 'whatsapp')),
  run_id      text NOT NULL,
  step_key    text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, step_key, channel, user_id)
);
CREATE INDEX notification_slots_window ON notification_slots (user_id, at);

CREATE TABLE notification_slot_locks (
  user_id  text PRIMARY KEY REFERENCES users(id)
);
`;
