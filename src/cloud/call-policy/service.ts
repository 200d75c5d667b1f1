import type { CallPolicyView, UpdateCallPolicy } from '../../shared/cloud/call-policy';
import type { CloudContext, Principal } from '../context';
import type { Database, Queryable } from '../db';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { allowedCountriesOf, decideDestination, decideDial, type CallPolicy, type DestinationDecision, type DialDecision } from './policy';

export async function loadCallPolicy(q: Queryable, accountId: string): Promise<CallPolicy> {
  const rows = await q.query<{ country: string; call_countries: string[] | null; outbound_calls_per_user_hour: number }>(
    `SELECT country, call_countries, outbound_calls_per_user_hour FROM accounts WHERE id = $1`,
    [accountId],
  );
  const row = rows[0];
  if (!row) throw new ApiError('NOT_FOUND', 'Account not found');
  return { country: row.country, allowedCountries: row.call_countries, outboundCallsPerUserHour: Number(row.outbound_calls_per_user_hour) };
}

const view = (policy: CallPolicy): CallPolicyView => ({
  country: policy.country,
  allowedCountries: allowedCountriesOf(policy),
  usingDefault: policy.allowedCountries === null,
  outboundCallsPerUserHour: policy.outboundCallsPerUserHour,
});

export async function getCallPolicy(ctx: CloudContext, principal: Principal): Promise<CallPolicyView> {
  return view(await loadCallPolicy(ctx.db, principal.accountId));
}

export async function updateCallPolicy(ctx: CloudContext, principal: Principal, input: UpdateCallPolicy): Promise<CallPolicyView> {
  return write(ctx.db, principal.accountId, async (uow) => {
    const before = await loadCallPolicy(uow.q, principal.accountId);
    const next: CallPolicy = {
      country: input.country ?? before.country,
      allowedCountries: input.allowedCountries === undefined ? before.allowedCountries : input.allowedCountries === null ? null : [...new Set(input.allowedCountries)],
      outboundCallsPerUserHour: input.outboundCallsPerUserHour ?? before.outboundCallsPerUserHour,
    };
    await uow.q.query(`UPDATE accounts SET country = $2, call_countries = $3::jsonb, outbound_calls_per_user_hour = $4 WHERE id = $1`, [
      principal.accountId,
      next.country,
      next.allowedCountries === null ? null : JSON.stringify(next.allowedCountries),
      next.outboundCallsPerUserHour,
    ]);
    await uow.audit(principal.userId, 'account.call_policy_changed', 'account', principal.accountId, { before: view(before), after: view(next) });
    return view(next);
  });
}

export interface DialRequest {
  accountId: string;
  /**
   * Whose hourly cap the dial counts against: the user on the call. null when no one's seat places
   * it (an AI agent's transfer, a workflow call that rings the Company Phone): then only the
   * destinations are checked.
   */
  userId: string | null;
  kind: 'call' | 'transfer';
  /** The number dialled (recorded in outbound_dials). */
  to: string;
  /**
   * Other numbers outside the practice the same call rings (a workflow call rings a user's own
   * phone before the contact): their countries must be allowed too, but the call counts once.
   */
  alsoRings?: readonly string[];
}

/**
 * Decides a dial out to the phone network and, when allowed, records it — atomically per user:
 * the user's row is locked while the last hour's dials are counted and the new one inserted, so
 * concurrent dials can never together pass the hourly cap.
 */
export async function reserveDial(db: Database, dial: DialRequest): Promise<DialDecision> {
  return write(db, dial.accountId, (uow) => reserveDialIn(uow, dial));
}

/** `reserveDial` in the caller's transaction (a workflow step reserves through its ledger, once per step). */
export async function reserveDialIn(uow: UnitOfWork, dial: DialRequest): Promise<DialDecision> {
  if (dial.userId) await uow.q.query(`SELECT id FROM users WHERE id = $1 AND account_id = $2 FOR NO KEY UPDATE`, [dial.userId, dial.accountId]);
  const policy = await loadCallPolicy(uow.q, dial.accountId);
  const refused = (dial.alsoRings ?? []).map((to) => decideDestination(policy, to, 'call')).find((d) => !d.ok);
  const decision = refused ?? decideDial(policy, dial.to, dial.userId ? await dialsLastHour(uow.q, dial.userId) : 0);
  if (decision.ok) {
    if (dial.userId) {
      await uow.q.query(`INSERT INTO outbound_dials (account_id, user_id, kind, to_number) VALUES ($1, $2, $3, $4)`, [dial.accountId, dial.userId, dial.kind, dial.to]);
    }
  } else {
    await uow.audit(dial.userId, 'call.dial_refused', dial.userId ? 'user' : 'account', dial.userId ?? dial.accountId, { kind: dial.kind, code: decision.code, country: decision.country });
  }
  return decision;
}

async function dialsLastHour(q: Queryable, userId: string): Promise<number> {
  const counted = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_dials WHERE user_id = $1 AND at > now() - interval '1 hour'`, [userId]);
  return Number(counted[0]?.n ?? 0);
}

/** Whether a text (SMS, WhatsApp) may go to `to` under the practice's call policy: the calls' countries, no hourly cap. */
export async function decideTextDestination(q: Queryable, accountId: string, to: string): Promise<DestinationDecision> {
  return decideDestination(await loadCallPolicy(q, accountId), to, 'text');
}
