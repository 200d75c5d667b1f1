/**
 * 0800: inbound email (replies). Every email a communication action sends is recorded with the
 * Message-ID header it carries (`email_message_id`, set before it leaves), so a reply posted to the
 * inbound email webhook is matched to it through its In-Reply-To / References headers — never by
 * address alone. `inbound_emails` remembers each inbound message by its own Message-ID, per
 * practice, so a provider's retry is counted once; matched or not, no body is kept.
 */
export const name = 'inbound-email';
export const sql = /* sql */ `
ALTER TABLE outbound_messages ADD COLUMN email_message_id text;
ALTER TABLE outbound_messages ADD COLUMN replied_at timestamptz;
-- Sent before this version: their Message-ID was kept as the provider id (mail-message.ts).
UPDATE outbound_messages SET email_message_id = provider_id
 WHERE channel = 'email' AND provider_id LIKE '<%@%>';
CREATE UNIQUE INDEX outbound_messages_email_message_id ON outbound_messages (account_id, email_message_id) WHERE email_message_id IS NOT NULL;

CREATE TABLE inbound_emails (
  account_id          text NOT NULL REFERENCES accounts(id),
  -- The inbound message's Message-ID, or "sha256:<hex>" of the message when it has none.
  message_key         text NOT NULL,
  -- The sent email it replies to; null when it matched none (recorded, so a retry is still one).
  outbound_message_id text REFERENCES outbound_messages(id) ON DELETE SET NULL,
  contact_id          text REFERENCES contacts(id),
  from_address        text,
  received_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, message_key)
);
CREATE INDEX inbound_emails_outbound ON inbound_emails (outbound_message_id) WHERE outbound_message_id IS NOT NULL;
`;
