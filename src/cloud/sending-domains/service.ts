import type { AddSendingDomainInput, SendingDomain } from '../../shared/cloud/sending-domains';
import { requireAdmin } from '../auth/roles';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import { write } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { NO_SECRETS_KEY, SecretBox } from '../secret-box';
import { checkDmarc, checkRecords } from './dns-check';
import { normalizeDomain } from './domain-name';
import { dkimKeyContext, issueRecords } from './records';
import { recordsOf, SENDING_DOMAIN_COLUMNS, toSendingDomain, toSendingDomainRow, type SendingDomainRow } from './rows';
import { decideStatus } from './verification';

/**
 * Settings → Email sending: connect a domain (its records issued), verify it (its records looked up
 * in DNS, outside any transaction), remove it. Every id is looked up within the caller's practice.
 */

/** More than a practice sends from; a bound, not a plan. */
export const MAX_SENDING_DOMAINS = 20;

async function liveRow(q: Queryable, accountId: string, id: string): Promise<SendingDomainRow> {
  const rows = await q.query(`SELECT ${SENDING_DOMAIN_COLUMNS} FROM sending_domains d WHERE d.id = $1 AND d.account_id = $2 AND d.removed_at IS NULL`, [id, accountId]);
  if (!rows[0]) throw notFound('Sending domain');
  return toSendingDomainRow(rows[0]);
}

export async function listSendingDomains(q: Queryable, accountId: string): Promise<SendingDomain[]> {
  const rows = await q.query(`SELECT ${SENDING_DOMAIN_COLUMNS} FROM sending_domains d WHERE d.account_id = $1 AND d.removed_at IS NULL ORDER BY d.domain`, [accountId]);
  return rows.map((r) => toSendingDomain(toSendingDomainRow(r)));
}

export async function addSendingDomain(ctx: CloudContext, principal: Principal, input: AddSendingDomainInput): Promise<SendingDomain> {
  requireAdmin(principal);
  const name = normalizeDomain(input.domain);
  if (!name.ok) throw new ApiError('VALIDATION_FAILED', name.message, { errors: [{ path: 'domain', message: name.message }] });
  // Mail from the domain is DKIM-signed with a key kept sealed under CLOUD_SECRETS_KEY, never in the clear.
  const box = SecretBox.fromConfig(ctx.config);
  if (!box) throw new ApiError('INTEGRATION_NOT_CONFIGURED', NO_SECRETS_KEY.replace('an integration token', "a sending domain's DKIM key"));
  // Before the transaction: write() may run its work again, and a key takes a moment to make.
  const issued = await issueRecords();
  const id = newId('sdm');
  return write(ctx.db, principal.accountId, async (uow) => {
    const live = await uow.q.query<{ domain: string }>(`SELECT domain FROM sending_domains WHERE account_id = $1 AND removed_at IS NULL`, [uow.accountId]);
    if (live.some((d) => d.domain === name.domain)) throw new ApiError('CONFLICT', `${name.domain} is already connected: verify it, or remove it first to issue new records`);
    if (live.length >= MAX_SENDING_DOMAINS) throw new ApiError('CONFLICT', `A practice can connect at most ${MAX_SENDING_DOMAINS} sending domains: remove one first`);
    await uow.q.query(
      `INSERT INTO sending_domains (id, account_id, domain, verification_token, dkim_selector, dkim_public_key, dkim_private_key_enc, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, uow.accountId, name.domain, issued.verificationToken, issued.dkimSelector, issued.dkimPublicKey, box.seal(issued.dkimPrivateKeyPem, dkimKeyContext(uow.accountId, id)), principal.userId],
    );
    await uow.audit(principal.userId, 'sending_domain.add', 'sending_domain', id, { domain: name.domain, dkimSelector: issued.dkimSelector });
    return toSendingDomain(await liveRow(uow.q, uow.accountId, id));
  });
}

/**
 * Looks the domain's records up now and stores what was found (Verify, and the periodic re-check
 * with `actor` null). The status moves only on what DNS said (verification.ts's decideStatus); so
 * does the DMARC alignment read with them (dmarc.ts: a lookup DNS did not answer keeps the last one).
 */
export async function verifySendingDomain(ctx: Pick<CloudContext, 'db' | 'config'>, accountId: string, id: string, actor: string | null): Promise<SendingDomain> {
  const before = await liveRow(ctx.db, accountId, id);
  const [checks, dmarc] = await Promise.all([checkRecords(ctx.config.dns, recordsOf(before)), checkDmarc(ctx.config.dns, before.domain)]);
  const decision = decideStatus(before.status, checks);
  const strict = 'strict' in dmarc ? dmarc.strict : before.strictAlignment;
  return write(ctx.db, accountId, async (uow) => {
    const updated = await uow.q.query(
      `UPDATE sending_domains d SET status = $3, failure = $4, last_check_note = $5, last_checks = $6::jsonb, dmarc_strict = $7, last_checked_at = now(), updated_at = now(),
              verified_at = CASE WHEN $3 = 'verified' AND d.status <> 'verified' THEN now() ELSE d.verified_at END
        WHERE d.id = $1 AND d.account_id = $2 AND d.removed_at IS NULL
        RETURNING ${SENDING_DOMAIN_COLUMNS}`,
      [id, uow.accountId, decision.status, decision.failure, decision.note, JSON.stringify(checks), strict],
    );
    if (!updated[0]) throw notFound('Sending domain'); // removed while DNS was asked
    if (decision.status !== before.status) {
      await uow.audit(actor, `sending_domain.${decision.status}`, 'sending_domain', id, { domain: before.domain, from: before.status, ...(decision.failure ? { failure: decision.failure } : {}) });
    }
    // Which addresses may send changes with it: subdomains stop (strict) or start (relaxed) sending.
    if (strict !== before.strictAlignment) await uow.audit(actor, 'sending_domain.dmarc_alignment', 'sending_domain', id, { domain: before.domain, adkim: strict ? 's' : 'r' });
    return toSendingDomain(toSendingDomainRow(updated[0]));
  });
}

/** Stops sending from the domain: Send Email steps From it are refused at save and err at run until it is connected and verified again. */
export async function removeSendingDomain(ctx: CloudContext, principal: Principal, id: string): Promise<void> {
  requireAdmin(principal);
  await write(ctx.db, principal.accountId, async (uow) => {
    const removed = await uow.q.query<{ domain: string }>(
      `UPDATE sending_domains SET removed_at = now(), updated_at = now() WHERE id = $1 AND account_id = $2 AND removed_at IS NULL RETURNING domain`,
      [id, uow.accountId],
    );
    if (!removed[0]) throw notFound('Sending domain');
    await uow.audit(principal.userId, 'sending_domain.remove', 'sending_domain', id, { domain: removed[0].domain });
  });
}
