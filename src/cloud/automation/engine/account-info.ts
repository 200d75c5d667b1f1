import type { Queryable } from '../../db';
import type { AccountInfo } from '../actions/types';

/**
 * The account facts actions read (name, company phone, premium actions, time zone); cached briefly
 * per database — never per process, or two clouds in one process (an embedded default beside a test
 * cloud, the two backends of one test file) would read each other's settings for the same account id.
 */
const TTL_MS = 5_000;
type Cache = Map<string, { at: number; info: Promise<AccountInfo> }>;
const caches = new WeakMap<Queryable, Cache>();

function cacheOf(db: Queryable): Cache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

export function accountInfo(db: Queryable, accountId: string): Promise<AccountInfo> {
  const cache = cacheOf(db);
  const hit = cache.get(accountId);
  const now = Date.now();
  if (hit && now - hit.at < TTL_MS) return hit.info;
  const info = load(db, accountId);
  cache.set(accountId, { at: now, info });
  info.catch(() => cache.delete(accountId));
  return info;
}

/** Settings changed: the next step reads them fresh. */
export function forgetAccountInfo(db: Queryable, accountId: string): void {
  caches.get(db)?.delete(accountId);
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
