/**
 * 0120: appointments (src/cloud/appointments) — the minimal model workflows and the screen pop
 * need: a contact's booking with a provider (user), its time and status. Synced to the desktop
 * (`seq`), so the softphone shows a caller's next appointment offline too. Never deleted: a
 * booking ends as cancelled, no_show or completed.
 */
export const name = 'appointments';
export const sql = /* sql */ `
CREATE TABLE appointments (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts(id),
  contact_id   text NOT NULL REFERENCES contacts(id),
  provider_id  text REFERENCES users(id),
  location_id  text REFERENCES locations(id),
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  status       text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'confirmed', 'cancelled', 'no_show', 'completed')),
  calendar     text,
  title        text,
  notes        text,
  created_by   text REFERENCES users(id),
  seq          bigint NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_account_seq ON appointments (account_id, seq);
CREATE INDEX appointments_contact_start ON appointments (contact_id, starts_at);
-- The overlap check: a provider's live bookings by time.
CREATE INDEX appointments_provider_start ON appointments (provider_id, starts_at) WHERE status IN ('booked', 'confirmed');
CREATE INDEX appointments_account_start ON appointments (account_id, starts_at);
`;
