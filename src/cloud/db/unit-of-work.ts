import { setTimeout as delay } from 'node:timers/promises';
import type { SyncEntityName } from '../../shared/cloud/sync';
import type { ServerMessage } from '../../shared/cloud/realtime';
import type { Database, Queryable } from '.';

/** The NOTIFY channel every API instance listens on; payloads are `ChangeEvent` JSON. */
export const EVENTS_CHANNEL = 'aesthetix_events';

export interface ChangeEvent {
  /** Account whose data changed. */
  a: string;
  /** The account's change cursor after this commit (absent when nothing synced changed). */
  s?: number;
  /** Entities changed that every user of the account can see. */
  e: SyncEntityName[];
  /** Entities changed that only some users can see (their notifications), by user id. */
  u?: Record<string, SyncEntityName[]>;
  /** Messages with their data for specific users (screen-pop, new notification). */
  m?: { to: string[]; msg: ServerMessage }[];
  /** Sessions signed out: their sockets are closed. */
  r?: string[];
}

const tables: Record<SyncEntityName, string> = {
  accounts: 'accounts',
  locations: 'locations',
  teams: 'teams',
  users: 'users',
  contacts: 'contacts',
  phoneNumbers: 'phone_numbers',
  dispositions: 'dispositions',
  calls: 'calls',
  notifications: 'notifications',
  appointments: 'appointments',
  tasks: 'tasks',
};
/** Above this a change event drops its messages (PostgreSQL caps NOTIFY payloads at 8000 bytes). */
export const MAX_NOTIFY_BYTES = 7500;
/** `"s":<int8>,` at most, added to a payload inside the statement that takes the cursor. */
const CURSOR_BYTES = 26;

/** A kind of row a unit of work writes at its end, all of a transaction's rows in one statement (`UnitOfWork.defer`). */
export interface DeferredRows<T> {
  write(q: Queryable, accountId: string, rows: T[]): Promise<void>;
}

interface AuditRow {
  actorUserId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  details: string;
}

const AUDIT_ROWS: DeferredRows<AuditRow> = {
  write: async (q, accountId, rows) => {
    await q.query(
      `INSERT INTO audit_log (account_id, actor_user_id, action, entity, entity_id, details)
       SELECT $1, a.actor, a.action, a.entity, a.entity_id, a.details::jsonb
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS a(actor, action, entity, entity_id, details, n)
        ORDER BY a.n`,
      [accountId, rows.map((r) => r.actorUserId), rows.map((r) => r.action), rows.map((r) => r.entity), rows.map((r) => r.entityId), rows.map((r) => r.details)],
    );
  },
};

/**
 * One writing transaction for one account. Services record what they changed (`touch`), who
 * should hear about it (`send`) and why (`audit`); `finalize` then stamps each changed row with a
 * fresh account sequence number (taken last, under the account row lock, so sequence order is
 * commit order) and queues one NOTIFY that PostgreSQL delivers only if the transaction commits.
 */
export class UnitOfWork {
  private readonly touched = new Map<string, { entity: SyncEntityName; id: string; userId: string | undefined }>();
  private readonly messages: { to: string[]; msg: ServerMessage | (() => Promise<ServerMessage>) }[] = [];
  private readonly revoked: string[] = [];
  /** Rows written together by `finalize` (audit rows, domain events), one statement per kind, not a round trip each: a sync push records a hundred. */
  private readonly deferred: { kind: DeferredRows<unknown>; row: unknown }[] = [];
  cursor: number | undefined;
  /** The change event queued for NOTIFY by `finalize` (undefined when nothing was announced). */
  event: ChangeEvent | undefined;

  constructor(
    readonly q: Queryable,
    readonly accountId: string,
  ) {}

  touch(entity: SyncEntityName, id: string, userId?: string): void {
    const key = `${entity}:${id}`;
    this.touched.delete(key); // re-touching moves it to the end: it gets the newest seq
    this.touched.set(key, { entity, id, userId });
  }

  /** A message for some users, sent after commit; a function is evaluated once rows have their seq. */
  send(to: string[], msg: ServerMessage | (() => Promise<ServerMessage>)): void {
    if (to.length > 0) this.messages.push({ to, msg });
  }

  /** Forget recorded changes (after ROLLBACK TO SAVEPOINT undid them). */
  discardChanges(): void {
    this.touched.clear();
    this.messages.length = 0;
    this.deferred.length = 0;
  }

  /**
   * What has been recorded so far; the returned function forgets everything recorded after it —
   * for a ROLLBACK TO SAVEPOINT taken at the same moment, when one unit of work holds several
   * independent changes (a sync push's batch).
   */
  checkpoint(): () => void {
    const touched = new Map(this.touched);
    const messages = this.messages.length;
    const revoked = this.revoked.length;
    const deferred = this.deferred.length;
    return () => {
      this.touched.clear();
      for (const [key, value] of touched) this.touched.set(key, value);
      this.messages.length = messages;
      this.revoked.length = revoked;
      this.deferred.length = deferred;
    };
  }

  revokeSession(sessionId: string): void {
    this.revoked.push(sessionId);
  }

  /** Records an audit row; it is written with this unit of work's other changes, in order, before commit (`finalize`). */
  audit(actorUserId: string | null, action: string, entity: string, entityId: string | null, details: Record<string, unknown> = {}): Promise<void> {
    this.defer(AUDIT_ROWS, { actorUserId, action, entity, entityId, details: JSON.stringify(details) });
    return Promise.resolve();
  }

  /** Queues a row of `kind`, written by `finalize` with the others of its kind, in the order recorded (and forgotten with a savepoint's rollback). */
  defer<T>(kind: DeferredRows<T>, row: T): void {
    this.deferred.push({ kind: kind as DeferredRows<unknown>, row });
  }

  private async writeDeferred(): Promise<void> {
    if (this.deferred.length === 0) return;
    const byKind = new Map<DeferredRows<unknown>, unknown[]>();
    for (const { kind, row } of this.deferred.splice(0)) {
      const rows = byKind.get(kind) ?? [];
      rows.push(row);
      byKind.set(kind, rows);
    }
    for (const [kind, rows] of byKind) await kind.write(this.q, this.accountId, rows);
  }

  async finalize(): Promise<void> {
    await this.writeDeferred(); // before the account row lock below, which is held until commit
    const event: ChangeEvent = { a: this.accountId, e: [] };
    // A message built from the stamped rows (a new notification) is read after the stamps: the
    // stamps and the NOTIFY then go in separate statements. Otherwise the sequence step, every stamp
    // and the NOTIFY are ONE statement, so the account row lock — which the inbound webhooks' writer
    // also needs — is held for that statement and the COMMIT only, not for three or more round trips.
    const lazy = this.messages.some(({ msg }) => typeof msg === 'function');
    let stamped: { ctes: string[]; counts: string[]; params: unknown[] } | undefined;
    if (this.touched.size > 0) {
      // Rows first, the account row last — the order every writer follows. A touched row this
      // transaction has not locked yet (e.g. the user whose inbound number moved) is locked here,
      // before the account row, in a stable order; stamping it after taking the account lock would
      // wait for a writer that holds the row and is itself waiting for the account (a deadlock).
      const byTable = new Map<string, string[]>();
      for (const { entity, id } of this.touched.values()) {
        if (entity === 'accounts') continue; // the account row is the last lock, taken by the step below
        const list = byTable.get(tables[entity]) ?? [];
        list.push(id);
        byTable.set(tables[entity], list);
      }
      for (const table of [...byTable.keys()].sort()) {
        const ids = [...new Set(byTable.get(table))].sort();
        await this.q.query(`SELECT 1 FROM ${table} WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`, [ids]);
      }
      // Each row's place in this commit's block of sequence numbers (1…n, in the order touched).
      const shared = new Set<SyncEntityName>();
      const perUser: Record<string, SyncEntityName[]> = {};
      const stamps = new Map<string, { ids: string[]; places: number[] }>();
      let place = 0;
      for (const { entity, id, userId } of this.touched.values()) {
        place += 1;
        const stamp = stamps.get(tables[entity]) ?? { ids: [], places: [] };
        stamp.ids.push(id);
        stamp.places.push(place);
        stamps.set(tables[entity], stamp);
        if (userId) {
          const list = (perUser[userId] ??= []);
          if (!list.includes(entity)) list.push(entity);
        } else {
          shared.add(entity);
        }
      }
      event.e = [...shared];
      if (Object.keys(perUser).length > 0) event.u = perUser;
      // One UPDATE per table, not per row (a sync push's batch touches a hundred rows), inside the step's statement.
      // The account's own row is stamped by the step itself (one statement may not update a row twice).
      const own = stamps.get('accounts');
      const ownAt = own ? own.ids.indexOf(this.accountId) : -1;
      const params: unknown[] = [this.accountId, this.touched.size, ownAt >= 0 ? own!.places[ownAt] : null];
      if (own && ownAt >= 0) {
        own.ids.splice(ownAt, 1);
        own.places.splice(ownAt, 1);
        if (own.ids.length === 0) stamps.delete('accounts');
      }
      const ctes = ['bump AS (UPDATE accounts SET change_seq = change_seq + $2, seq = coalesce(change_seq + $3::int8, seq) WHERE id = $1 RETURNING change_seq)'];
      const counts: string[] = [];
      for (const [table, { ids, places }] of stamps) {
        params.push(ids, places);
        const name = `s${counts.length}`;
        ctes.push(`${name} AS (UPDATE ${table} AS t SET seq = bump.change_seq - $2 + v.place
          FROM bump, unnest($${params.length - 1}::text[], $${params.length}::int8[]) AS v(id, place) WHERE t.id = v.id RETURNING 1)`);
        counts.push(`(SELECT count(*) FROM ${name})`);
      }
      stamped = { ctes, counts, params };
    }
    if (this.revoked.length > 0) event.r = this.revoked;
    const announce = this.touched.size > 0 || this.messages.length > 0 || this.revoked.length > 0;
    if (stamped && !lazy) {
      if (this.messages.length > 0) event.m = this.messages.map(({ to, msg }) => ({ to, msg: msg as ServerMessage }));
      // The cursor is known only inside the statement: the payload is {"s":<cursor>, …the rest}.
      const rest = notifyPayload(event, CURSOR_BYTES);
      const { ctes, counts, params } = stamped;
      params.push(EVENTS_CHANNEL, `,${rest.slice(1)}`);
      ctes.push(`poke AS (SELECT pg_notify($${params.length - 1}, '{"s":' || bump.change_seq || $${params.length}) FROM bump)`);
      counts.push('(SELECT count(*) FROM poke)');
      const rows = await this.q.query<{ change_seq: number }>(stampStatement(ctes, counts), params);
      this.cursor = event.s = Number(rows[0]?.change_seq ?? 0);
      this.event = event;
      return;
    }
    if (stamped) {
      const rows = await this.q.query<{ change_seq: number }>(stampStatement(stamped.ctes, stamped.counts), stamped.params);
      this.cursor = event.s = Number(rows[0]?.change_seq ?? 0);
    }
    if (this.messages.length > 0) {
      event.m = [];
      for (const { to, msg } of this.messages) event.m.push({ to, msg: typeof msg === 'function' ? await msg() : msg });
    }
    if (!announce) return;
    await this.q.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, notifyPayload(event)]);
    this.event = event;
  }
}

/**
 * `event` as a NOTIFY payload, `reserve` bytes being added to it in SQL. PostgreSQL caps payloads at
 * 8000 bytes: over MAX_NOTIFY_BYTES the event drops its messages (the poke alone still makes clients pull).
 */
function notifyPayload(event: ChangeEvent, reserve = 0): string {
  const payload = JSON.stringify(event);
  if (payload.length + reserve <= MAX_NOTIFY_BYTES) return payload;
  delete event.m;
  return JSON.stringify(event);
}

/** The sequence step and what goes with it, as one statement; selecting the counts makes PostgreSQL run every part. */
const stampStatement = (ctes: string[], counts: string[]): string => `WITH ${ctes.join(',\n')} SELECT bump.change_seq${counts.map((c) => `, ${c}`).join('')} FROM bump`;

/**
 * Listeners told, synchronously after COMMIT returns, about each change event committed through
 * `write` on this database object. Every instance also hears the same event through NOTIFY, but
 * that arrives on another connection a moment later; in-process caches use this to be exact for
 * the next request on the instance that made the change.
 */
const committedListeners = new WeakMap<Database, Set<(event: ChangeEvent) => void>>();

export function onCommitted(db: Database, listener: (event: ChangeEvent) => void): () => void {
  let set = committedListeners.get(db);
  if (!set) committedListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** How many times a unit of work runs when PostgreSQL aborts it as a deadlock victim. */
const DEADLOCK_ATTEMPTS = 3;
const isDeadlock = (error: unknown): boolean => (error as { code?: string } | null)?.code === '40P01';

/**
 * Runs `fn` in a transaction as a unit of work for `accountId`. A transaction PostgreSQL chose as a
 * deadlock victim was rolled back whole, so it is run again (its writes are database work only):
 * concurrent webhooks of one call can still meet in an order no lock discipline fully prevents (a
 * row one of them inserted and has not committed yet).
 */
export async function write<T>(db: Database, accountId: string, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeOnce(db, accountId, fn);
    } catch (error) {
      if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      await delay(5 + Math.random() * 20 * attempt);
    }
  }
}

async function writeOnce<T>(db: Database, accountId: string, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  let event: ChangeEvent | undefined;
  const result = await db.transaction(async (q) => {
    const uow = new UnitOfWork(q, accountId);
    const value = await fn(uow);
    await uow.finalize();
    event = uow.event;
    return value;
  });
  if (event) {
    for (const listener of committedListeners.get(db) ?? []) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not turn a committed write into an error; NOTIFY still follows.
      }
    }
  }
  return result;
}
