/**
 * 0770: a practice's sending domains (Settings → Email sending). Each row is one domain connected
 * by an admin, with the two TXT records the cloud issued for it — a random verification token that
 * proves the practice controls the domain, and a DKIM key pair the cloud signs the domain's mail
 * with — and what the last DNS check of them found. The DKIM private key is sealed under
 * CLOUD_SECRETS_KEY (secret-box.ts), which is never in this database. Removing a domain keeps its
 * row (`removed_at`); connecting it again issues new records.
 */
export const name = 'sending-domains';
export const sql = /* sql */ `
CREATE TABLE sending_domains (
  id                    text PRIMARY KEY,
  account_id            text NOT NULL REFERENCES accounts(id),
  -- Lower case, international names in their ASCII (xn--) form.
  domain                text NOT NULL CHECK (domain = lower(domain) AND length(domain) BETWEEN 3 AND 253),
  verification_token    text NOT NULL CHECK (length(verification_token) >= 32),
  dkim_selector         text NOT NULL,
  -- The p= of the DKIM record: the public key, base64 (SubjectPublicKeyInfo, DER).
  dkim_public_key       text NOT NULL,
  dkim_private_key_enc  text NOT NULL,
  status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'failed')),
  failure               text,
  -- Per record, the last lookup's outcome and words: [{ purpose, outcome, message }].
  last_checks           jsonb NOT NULL DEFAULT '[]',
  last_check_note       text,
  last_checked_at       timestamptz,
  verified_at           timestamptz,
  created_by            text REFERENCES users(id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  removed_at            timestamptz,
  CONSTRAINT sending_domains_verified_at CHECK (status <> 'verified' OR verified_at IS NOT NULL),
  CONSTRAINT sending_domains_failure CHECK ((status = 'failed') = (failure IS NOT NULL))
);
CREATE UNIQUE INDEX sending_domains_live ON sending_domains (account_id, domain) WHERE removed_at IS NULL;
-- The periodic re-check reads the least recently checked live domains first.
CREATE INDEX sending_domains_recheck ON sending_domains (last_checked_at NULLS FIRST) WHERE removed_at IS NULL;
`;
