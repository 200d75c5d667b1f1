import type { InboundEmailSettings } from '../../shared/cloud/inbound-email';
import { takeSlot } from '../http/throttle';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db/database';
import { textOrNull } from '../db/columns';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { addressScope } from '../http/outbound';
import { INBOUND_EMAIL_SIGNATURE_FORMAT, SIGNATURE_TOLERANCE_SECONDS, inboundEmailSecret } from './inbound-email-signature';

/**
 * Settings → Email replies: what an admin gives the practice's mail provider (URL, secret, how to
 * sign), whether anything has arrived, and Rotate secret. Table `inbound_email_settings` (0810)
 * keeps the secret's generation and the last arrivals; the secret is derived, never stored.
 */

/** The largest message accepted, in bytes: a reply with its attachments; larger ones are refused (413) before they are read. */
export const INBOUND_EMAIL_MAX_BYTES = 10 * 1024 * 1024;
export const inboundEmailPath = (accountId: string): string => `/hooks/email/inbound/${encodeURIComponent(accountId)}`;

/** Rotations per practice per window: a leaked secret can be replaced again and again, a script cannot churn it. */
export const ROTATE_LIMIT = 10;
export const ROTATE_WINDOW_SECONDS = 3600;

interface State {
  generation: number;
  rotatedAt: string | null;
  lastReceivedAt: string | null;
  lastMatchedAt: string | null;
}

type StateRow = { secret_generation: number; rotated_at: unknown; last_received_at: unknown; last_matched_at: unknown };
const stateOf = (row: StateRow | undefined): State => ({
  generation: Number(row?.secret_generation ?? 0),
  rotatedAt: textOrNull(row?.rotated_at),
  lastReceivedAt: textOrNull(row?.last_received_at),
  lastMatchedAt: textOrNull(row?.last_matched_at),
});

async function readState(q: Queryable, accountId: string): Promise<State> {
  const rows = await q.query<StateRow>(`SELECT secret_generation, rotated_at, last_received_at, last_matched_at FROM inbound_email_settings WHERE account_id = $1`, [accountId]);
  return stateOf(rows[0]);
}

/** The practice's secret generation (0 when it never rotated); the webhook verifies against it. */
export const secretGeneration = async (q: Queryable, accountId: string): Promise<number> => (await readState(q, accountId)).generation;

/** The cloud's public address is this computer's own (the embedded default, a local run): no provider on the internet reaches it. */
function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || addressScope(host) === 'loopback';
}

/** The webhook's URL for a practice, at the cloud's public address. */
export const inboundEmailUrl = (ctx: Pick<CloudContext, 'publicUrl'>, accountId: string): string => `${ctx.publicUrl().replace(/\/$/, '')}${inboundEmailPath(accountId)}`;

function settingsOf(ctx: CloudContext, accountId: string, state: State): InboundEmailSettings {
  const url = inboundEmailUrl(ctx, accountId);
  return {
    url,
    secret: inboundEmailSecret(ctx.keys, accountId, state.generation),
    signatureHeader: 'X-Aesthetix-Signature',
    signatureFormat: INBOUND_EMAIL_SIGNATURE_FORMAT,
    contentType: 'message/rfc822',
    toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS,
    maxBytes: INBOUND_EMAIL_MAX_BYTES,
    loopback: isLoopbackUrl(url),
    lastReceivedAt: state.lastReceivedAt,
    lastMatchedAt: state.lastMatchedAt,
    rotatedAt: state.rotatedAt,
  };
}

export async function inboundEmailSettings(ctx: CloudContext, accountId: string): Promise<InboundEmailSettings> {
  return settingsOf(ctx, accountId, await readState(ctx.db, accountId));
}

/**
 * Rotate secret: the next generation, at once — the old secret verifies nothing from this commit on
 * (the webhook re-checks the generation under the row's lock, `noteReceived`). Audited (the
 * generation only, never a secret); limited per practice.
 */
export async function rotateInboundEmailSecret(ctx: CloudContext, uow: UnitOfWork, principal: Principal): Promise<InboundEmailSettings> {
  await takeSlot(uow.q, {
    key: `inbound-email-rotate:${uow.accountId}`, max: ROTATE_LIMIT, windowSeconds: ROTATE_WINDOW_SECONDS,
    refusal: (minutes) => `The reply secret was rotated ${ROTATE_LIMIT} times in the last hour; try again in ${minutes} min.`,
  });
  const rows = await uow.q.query<StateRow>(
    `INSERT INTO inbound_email_settings AS s (account_id, secret_generation, rotated_at) VALUES ($1, 1, now())
     ON CONFLICT (account_id) DO UPDATE SET secret_generation = s.secret_generation + 1, rotated_at = now()
     RETURNING secret_generation, rotated_at, last_received_at, last_matched_at`,
    [uow.accountId],
  );
  const state = stateOf(rows[0]);
  await uow.audit(principal.userId, 'email.inbound_secret_rotated', 'account', uow.accountId, { generation: state.generation });
  return settingsOf(ctx, uow.accountId, state);
}

/**
 * Notes a signed message's arrival, first in the webhook's transaction: the row's lock orders it
 * against a rotation, and a message signed with a generation rotated away meanwhile is refused
 * (FORBIDDEN; the transaction, with anything it recorded, rolls back).
 */
export async function noteReceived(uow: UnitOfWork, generation: number): Promise<void> {
  const rows = await uow.q.query(
    `INSERT INTO inbound_email_settings AS s (account_id, last_received_at) VALUES ($1, now())
     ON CONFLICT (account_id) DO UPDATE SET last_received_at = now() WHERE s.secret_generation = $2
     RETURNING account_id`,
    [uow.accountId, generation],
  );
  // No row back: the row has another generation now (rotated after the signature was checked).
  if (rows.length === 0) throw new ApiError('FORBIDDEN', 'Inbound email refused: the signature does not match (the secret was just rotated)');
}

/** A message that answered one of the practice's sent emails (it counted Replied). */
export async function noteMatched(uow: UnitOfWork): Promise<void> {
  await uow.q.query(`UPDATE inbound_email_settings SET last_matched_at = now() WHERE account_id = $1`, [uow.accountId]);
}
