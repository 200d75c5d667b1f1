import type { CallPolicyView, UpdateCallPolicy } from '../../shared/cloud/call-policy';
import type { CloudContext, Principal } from '../context';
import type { Database, Queryable } from '../db';
import { write } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { allowedCountriesOf, decideDial, type CallPolicy, type DialDecision } from './policy';

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

/**
 * Decides a dial out to the phone network and, when allowed, records it — atomically per user:
 * the user's row is locked while the last hour's dials are counted and the new one inserted, so
 * concurrent dials can never together pass the hourly cap.
 */
export async function reserveDial(db: Database, dial: { accountId: string; userId: string; kind: 'call' | 'transfer'; to: string }): Promise<DialDecision> {
  return write(db, dial.accountId, async (uow) => {
    await uow.q.query(`SELECT id FROM users WHERE id = $1 AND account_id = $2 FOR NO KEY UPDATE`, [dial.userId, dial.accountId]);
    const policy = await loadCallPolicy(uow.q, dial.accountId);
    const counted = await uow.q.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_dials WHERE user_id = $1 AND at > now() - interval '1 hour'`, [dial.userId]);
    const decision = decideDial(policy, dial.to, Number(counted[0]?.n ?? 0));
    if (decision.ok) {
      await uow.q.query(`INSERT INTO outbound_dials (account_id, user_id, kind, to_number) VALUES ($1, $2, $3, $4)`, [dial.accountId, dial.userId, dial.kind, dial.to]);
    } else {
      await uow.audit(dial.userId, 'call.dial_refused', 'user', dial.userId, { kind: dial.kind, code: decision.code, country: decision.country });
    }
    return decision;
  });
}
