/**
 * 0860: a sending domain's DMARC alignment. `dmarc_strict`: its DMARC record asked for strict DKIM
 * alignment (adkim=s) when it was last checked, so mail From its subdomains, signed with its key,
 * would fail DMARC and is refused (sending-domain-rules.ts). Read on Verify and the periodic
 * re-check; until then (every row before this migration) relaxed, DMARC's default.
 */
export const name = 'sending-domains-dmarc';
export const sql = /* sql */ `
ALTER TABLE sending_domains ADD COLUMN dmarc_strict boolean NOT NULL DEFAULT false;
`;
