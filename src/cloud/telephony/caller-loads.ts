import type { Dnd } from '../../shared/cloud/entities';
import { toE164 } from '../../shared/cloud/phone';
import type { Queryable } from '../db';
import type { CallerContact, RoutingCache } from './routing-cache';

export type ContactRow = {
  contact_id: string | null; contact_name: string | null; contact_tags: string[] | null; contact_assigned: string | null; contact_dnd: Dnd | null;
};

export const toCallerContact = (row: ContactRow | undefined): CallerContact | null =>
  row?.contact_id
    ? { id: row.contact_id, name: row.contact_name ?? '', tags: row.contact_tags ?? [], assignedUserId: row.contact_assigned, dnd: row.contact_dnd }
    : null;

interface Waiter {
  resolve(contact: CallerContact | null): void;
  reject(error: unknown): void;
}

interface Load {
  /** The cache's contact generation when the query started: a caller may join only if no change was announced since. */
  generation: number;
  byFrom: Map<string, Waiter[]>;
}

interface AccountLoads {
  running: Load | undefined;
  next: Map<string, Waiter[]>;
}

/**
 * The inbound webhook's caller-contact loads (cache misses), coalesced per account. A contacts
 * change event (a sync push's chunk of new contacts, say) drops the account's callers from the
 * cache; at 2,000 webhooks/s the burst that follows used to cost one query per webhook on the
 * webhook pool (~12,000 extra queries in a minute of 100-mutation pushes). Now a miss while that
 * account's load is in flight waits for the next load, which reads every caller asked meanwhile in
 * ONE query, and a caller already in the running load joins it if no contact change was announced
 * since it started (what it reads is then as fresh as the cache itself). A quiet line waits for
 * nothing: the first miss queries at once. Results are stored in the cache under the generation the
 * query started with, so a load that raced with an invalidation is not kept.
 */
export class CallerLoads {
  private readonly accounts = new Map<string, AccountLoads>();
  /** Cache misses loaded, the queries that loaded them and the callers those read (/readyz `callerLookups`). */
  readonly stats = { misses: 0, queries: 0, callers: 0 };

  constructor(
    readonly cache: RoutingCache,
    private readonly maxBatch = 500,
  ) {}

  /** The caller's contact in `accountId` (null: none), read with other callers of the account missed meanwhile. */
  load(db: Queryable, accountId: string, from: string): Promise<CallerContact | null> {
    this.stats.misses += 1;
    return new Promise((resolve, reject) => {
      let account = this.accounts.get(accountId);
      if (!account) this.accounts.set(accountId, (account = { running: undefined, next: new Map() }));
      const running = account.running;
      const joined = running && running.generation === this.cache.contactGeneration() ? running.byFrom.get(from) : undefined;
      if (joined) return void joined.push({ resolve, reject });
      const waiting = account.next.get(from);
      if (waiting) waiting.push({ resolve, reject });
      else account.next.set(from, [{ resolve, reject }]);
      if (!running) void this.run(db, accountId, account);
    });
  }

  private async run(db: Queryable, accountId: string, account: AccountLoads): Promise<void> {
    while (account.next.size > 0) {
      const byFrom = new Map<string, Waiter[]>();
      for (const [from, waiters] of account.next) {
        if (byFrom.size >= this.maxBatch) break;
        byFrom.set(from, waiters);
      }
      for (const from of byFrom.keys()) account.next.delete(from);
      const load: Load = { generation: this.cache.contactGeneration(), byFrom };
      account.running = load;
      this.stats.queries += 1;
      this.stats.callers += byFrom.size;
      try {
        const found = await readCallers(db, accountId, [...byFrom.keys()]);
        for (const [from, waiters] of byFrom) {
          const contact = found.get(from) ?? null;
          this.cache.setContact(accountId, from, contact, load.generation);
          for (const waiter of waiters) waiter.resolve(contact);
        }
      } catch (error) {
        for (const waiters of byFrom.values()) for (const waiter of waiters) waiter.reject(error);
      }
    }
    account.running = undefined;
    this.accounts.delete(accountId);
  }
}

/** Each caller's contact (by `From` as Twilio sent it): the oldest live contact with that phone, as one query. */
export async function readCallers(db: Queryable, accountId: string, froms: readonly string[]): Promise<Map<string, CallerContact | null>> {
  const phoneOf = new Map(froms.map((from) => [from, toE164(from) ?? from]));
  const rows = await db.query<ContactRow & { phone: string }>(
    `SELECT DISTINCT ON (c.phone) c.phone, c.id AS contact_id, c.name AS contact_name, c.tags AS contact_tags, c.assigned_user_id AS contact_assigned, c.dnd AS contact_dnd
       FROM contacts c WHERE c.account_id = $1 AND c.phone = ANY($2::text[]) AND c.deleted_at IS NULL ORDER BY c.phone, c.created_at`,
    [accountId, [...new Set(phoneOf.values())]],
  );
  const byPhone = new Map(rows.map((row) => [row.phone, toCallerContact(row)]));
  return new Map(froms.map((from) => [from, byPhone.get(phoneOf.get(from)!) ?? null]));
}
