import type { Queryable } from '../../db';
import type { AccountInfo } from '../actions/types';

/** The account facts actions read (name, company phone, premium actions, time zone); cached briefly per process. */
const TTL_MS = 5_000;
const cache = new Map<string, { at: number; info: Promise<AccountInfo> }>();

export function accountInfo(q: Queryable, accountId: string): Promise<AccountInfo> {
  const hit = cache.get(accountId);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit.info;
  const info = load(q, accountId);
  cache.set(accountId, { at: now, info });
  info.catch(() => cache.delete(accountId));
  return info;
}

/** Settings changed: the next step reads them fresh. */
export function forgetAccountInfo(accountId: string): void {
  cache.delete(accountId);
}

async function load(q: Queryable, accountId: string): Promise<AccountInfo> {
  const rows = await q.query<{ name: string; company_phone: string | null; premium_actions_enabled: boolean | null; timezone: string | null }>(
    `SELECT a.name, s.company_phone, s.premium_actions_enabled,
            (SELECT l.timezone FROM locations l WHERE l.account_id = a.id AND l.deleted_at IS NULL ORDER BY l.created_at, l.id LIMIT 1) AS timezone
       FROM accounts a LEFT JOIN automation_settings s ON s.account_id = a.id WHERE a.id = $1`,
    [accountId],
  );
  const row = rows[0];
  if (!row) throw new Error(`account ${accountId} not found`);
  return {
    id: accountId,
    name: row.name,
    companyPhone: row.company_phone,
    premiumActionsEnabled: row.premium_actions_enabled ?? false,
    timezone: row.timezone ?? 'America/Los_Angeles',
  };
}
