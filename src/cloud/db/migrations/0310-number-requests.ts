/**
 * 0310: requests to Aesthetix support about numbers (issue [numbers]): international numbers are
 * not bought in the app but requested (seed 001), as are port-ins and numbers the platform does
 * not list. The admin sees each request and its status.
 */
export const name = 'number-requests';
export const sql = /* sql */ `
CREATE TABLE number_requests (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts(id),
  kind           text NOT NULL CHECK (kind IN ('international', 'port_in', 'unlisted')),
  country        text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  number_type    text CHECK (number_type IN ('local', 'toll-free', 'mobile')),
  phone_numbers  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(phone_numbers) = 'array'),
  note           text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'completed', 'cancelled')),
  requested_by   text REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX number_requests_account ON number_requests (account_id, created_at DESC);
`;
