import type Database from 'better-sqlite3';
import { z } from 'zod';
import { userSchema } from '../../shared/cloud';
import type { Account, Contact, Disposition, Location, Notification, PhoneNumber, Team, User } from '../../shared/cloud';
import { openWriteConnection } from './connection';
import { CacheInputError, validate } from './errors';
import type { AckOutcome } from './outbox';
import {
  ackResults,
  batchLimitSchema,
  dropRejected,
  enqueueMutation,
  getEntry,
  listRejected,
  markFailed,
  parseMutation,
  parseNow,
  parseResults,
  peekBatch,
  pendingCount,
} from './outbox';
import { parsePullResponse, readCursor, writePullPage } from './pull';
import * as queries from './queries';
import type {
  AccountRow,
  DispositionRow,
  LocationRow,
  NotificationRow,
  PhoneNumberRow,
  TeamRow,
  UserRow,
} from './rows';
import { toAccount, toDisposition, toLocation, toNotification, toPhoneNumber, toTeam, toUser } from './rows';
import { statement } from './statements';
import type {
  CallListItem,
  HistoryFilters,
  HistoryPage,
  NotificationListOptions,
  OutboxEntry,
  PullApplied,
  ScreenPop,
  SearchInput,
  SearchResult,
  SetDispositionInput,
  Task,
  TaskInput,
  Wrapup,
  WrapupInput,
} from './types';
import { entityIdSchema, isoDateSchema, notificationListSchema, setDispositionInputSchema, taskInputSchema, wrapupInputSchema } from './types';

export interface OpenCacheOptions {
  /** The SQLite file (created if missing), e.g. join(app.getPath('userData'), 'cache.sqlite'). */
  file: string;
  /** Electron's build of better-sqlite3: electronBindingPath('better-sqlite3', appRoot, process.versions). */
  nativeBinding?: string | undefined;
  /** Epoch-ms clock for outbox times (tests inject one). */
  now?: () => number;
}

export interface OutboxPort {
  /** Durably stores a mutation (and applies its local effect); returns the stored row. Same key again → the stored row. */
  enqueue(mutation: unknown): OutboxEntry;
  get(idempotencyKey: string): OutboxEntry | null;
  /** The next mutations to push, oldest first, due by `now`. */
  peekBatch(limit: number, now?: number): OutboxEntry[];
  /** The cloud's results for a push: applied rows are removed, rejected ones kept as 'rejected' and their local effect undone. */
  ack(results: unknown): AckOutcome;
  /** A transient push failure for these keys: attempts + 1, retry at `nextAttemptAt`. */
  markFailed(keys: string | readonly string[], error: string, nextAttemptAt: number): number;
  pendingCount(): number;
  rejected(): OutboxEntry[];
  /** Forgets rejected rows once the user was told (all, or these keys). */
  dropRejected(keys?: readonly string[]): number;
}

export interface WrapupsPort {
  upsert(input: WrapupInput): Wrapup;
  get(twilioCallSid: string): Wrapup | null;
  /** Every wrap-up still waiting, oldest call first. */
  list(): Wrapup[];
  /** Forgets a wrap-up without a disposition (no disposition applies, or the user skipped it). */
  resolve(twilioCallSid: string): boolean;
}

/** The desktop's local cache: the port the sync engine, IPC handlers and tests depend on. */
export interface CallCache {
  readonly file: string;
  close(): void;

  /** Applies one pull page and its cursor in one transaction; a bad page changes nothing. */
  applyPull(response: unknown): PullApplied;
  getCursor(): number;
  syncMeta: {
    get(key: string): string | number | null;
    set(key: string, value: string | number | null): void;
  };

  session: {
    setUser(user: User, signedInAt?: string): void;
    /** The signed-in user, from the latest pulled row when there is one. */
    user(): User | null;
    clear(): void;
  };

  outbox: OutboxPort;
  wrapups: WrapupsPort;

  contacts: {
    get(id: string): Contact | null;
    /** The incoming-call screen pop for a caller's number; null when nothing is known about it. */
    findByPhone(number: string): ScreenPop | null;
  };
  calls: {
    get(id: string): CallListItem | null;
    getBySid(twilioCallSid: string): CallListItem | null;
    /** Small pages of history on the main thread; long searches go to the query worker. */
    history(filters?: HistoryFilters): HistoryPage;
    /**
     * Commits a wrap-up: the call row, the outbox row and the removal of the wrap-up, in one durable
     * transaction. The call need not be pulled yet; the choice is applied when it arrives.
     */
    setDispositionLocally(input: SetDispositionInput): OutboxEntry;
  };
  dispositions: {
    /** What the picker offers: not deleted, in admin order (keys 1–0). */
    active(): Disposition[];
    /** Including deleted ones (they still label old calls). */
    all(): Disposition[];
    get(id: string): Disposition | null;
  };
  notifications: {
    list(options?: NotificationListOptions): Notification[];
    unreadCount(): number;
    /** Marks read here at once and queues notification.markRead, atomically. */
    markReadLocally(notificationId: string, idempotencyKey: string): OutboxEntry;
  };
  tasks: {
    upsert(task: TaskInput): Task;
    list(options?: { includeDone?: boolean }): Task[];
    setDone(id: string, done: boolean): Task;
    remove(id: string): boolean;
  };
  directory: {
    account(): Account | null;
    locations(): Location[];
    teams(): Team[];
    users(options?: { includeDeleted?: boolean }): User[];
    user(id: string): User | null;
    phoneNumbers(): PhoneNumber[];
    phoneNumberByNumber(e164: string): PhoneNumber | null;
  };
  /** Quick search on the main thread (small limits); the worker runs the same query off-thread. */
  search(input: SearchInput): SearchResult;
  /** Sign-out: forgets every cached row, the outbox included (drain it first), and the cursor. */
  clearUserData(): void;
}

const syncKeySchema = z
  .string()
  .regex(/^[A-Za-z][\w.-]{0,63}$/)
  .refine((key) => key !== 'cursor', { message: 'the cursor is written only by applyPull' });
const syncValueSchema = z.union([z.string().max(10_000), z.number(), z.null()]);
const sidSchema = z.string().min(1).max(64);

interface WrapupRow {
  twilio_call_sid: string;
  call_id: string | null;
  ended_at: string;
  location_id: string | null;
  disposition_id: string | null;
  note: string | null;
  state: Wrapup['state'];
  updated_at: number;
}
const toWrapup = (r: WrapupRow): Wrapup => ({
  twilioCallSid: r.twilio_call_sid,
  callId: r.call_id,
  endedAt: r.ended_at,
  locationId: r.location_id,
  dispositionId: r.disposition_id,
  note: r.note,
  state: r.state,
  updatedAt: r.updated_at,
});

interface TaskRow {
  id: string;
  title: string;
  due: string | null;
  done: number;
  contact_id: string | null;
}
const toTask = (r: TaskRow): Task => ({ id: r.id, title: r.title, due: r.due, done: r.done === 1, contactId: r.contact_id });

class SqliteCache implements CallCache {
  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly now: () => number,
  ) {}

  /** Every write goes through here: BEGIN IMMEDIATE … COMMIT, fsynced (synchronous=FULL) before it returns. */
  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Pull pages commit without an fsync of their own (synchronous=NORMAL, still atomic and consistent
   * in WAL mode): a page lost to a power cut takes its cursor with it and is simply pulled again.
   * The next outbox commit (FULL) syncs the whole WAL, these frames included.
   */
  private pullWrite<T>(fn: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.write(fn);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  private sql(source: string): Database.Statement<unknown[], unknown> {
    return statement(this.db, source);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  applyPull(response: unknown): PullApplied {
    const page = parsePullResponse(response);
    const now = this.now();
    const applied = this.pullWrite(() => writePullPage(this.db, page, now));
    return { cursor: page.cursor, hasMore: page.hasMore, applied };
  }

  getCursor(): number {
    return readCursor(this.db);
  }

  readonly syncMeta = {
    get: (key: string): string | number | null => {
      const value = this.sql('SELECT value FROM sync_state WHERE key = ?').pluck().get(validate(z.string().max(64), 'key', key));
      return typeof value === 'string' || typeof value === 'number' ? value : null;
    },
    set: (key: string, value: string | number | null): void => {
      const k = validate(syncKeySchema, 'sync metadata key', key);
      const v = validate(syncValueSchema, 'sync metadata value', value);
      this.write(() =>
        this.sql('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(k, v),
      );
    },
  };

  readonly session = {
    setUser: (user: User, signedInAt?: string): void => {
      const u = validate(userSchema, 'user', user);
      const at = validate(isoDateSchema, 'signedInAt', signedInAt ?? new Date(this.now()).toISOString());
      this.write(() =>
        this.sql(
          `INSERT INTO session (singleton, user_id, user_json, signed_in_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (singleton) DO UPDATE SET user_id = excluded.user_id, user_json = excluded.user_json,
             signed_in_at = excluded.signed_in_at`,
        ).run(u.id, JSON.stringify(u), at),
      );
    },
    user: (): User | null => {
      const row = this.sql('SELECT user_id, user_json FROM session WHERE singleton = 1').get() as
        | { user_id: string; user_json: string }
        | undefined;
      if (!row) return null;
      return this.directory.user(row.user_id) ?? (JSON.parse(row.user_json) as User);
    },
    clear: (): void => {
      this.write(() => this.sql('DELETE FROM session').run());
    },
  };

  readonly outbox: OutboxPort = {
    enqueue: (input) => {
      const mutation = parseMutation(input);
      const now = this.now();
      return this.write(() => enqueueMutation(this.db, mutation, now));
    },
    get: (key) => getEntry(this.db, validate(z.string().max(100), 'idempotency key', key)),
    peekBatch: (limit, now = this.now()) => peekBatch(this.db, validate(batchLimitSchema, 'batch limit', limit), parseNow(now)),
    ack: (input) => {
      const results = parseResults(input);
      return this.write(() => ackResults(this.db, results));
    },
    markFailed: (keys, error, nextAttemptAt) => {
      const list = validate(z.array(z.string().max(100)), 'keys', typeof keys === 'string' ? [keys] : keys);
      const message = validate(z.string(), 'error', error);
      const at = parseNow(nextAttemptAt);
      return this.write(() => markFailed(this.db, list, message, at));
    },
    pendingCount: () => pendingCount(this.db),
    rejected: () => listRejected(this.db),
    dropRejected: (keys) => {
      const list = keys === undefined ? undefined : validate(z.array(z.string().max(100)), 'keys', keys);
      return this.write(() => dropRejected(this.db, list));
    },
  };

  readonly wrapups: WrapupsPort = {
    upsert: (input) => {
      const w = validate(wrapupInputSchema, 'wrap-up', input);
      const now = this.now();
      return this.write(() => {
        const row = this.sql(
          `INSERT INTO wrapups (twilio_call_sid, call_id, ended_at, location_id, disposition_id, note, state, updated_at)
           VALUES (@sid, @callId, @endedAt, @locationId, @dispositionId, @note, @state, @now)
           ON CONFLICT (twilio_call_sid) DO UPDATE SET call_id = coalesce(excluded.call_id, wrapups.call_id),
             ended_at = excluded.ended_at, location_id = coalesce(excluded.location_id, wrapups.location_id),
             disposition_id = excluded.disposition_id, note = excluded.note, state = excluded.state,
             updated_at = excluded.updated_at
           RETURNING *`,
        ).get({
          sid: w.twilioCallSid,
          callId: w.callId,
          endedAt: w.endedAt,
          locationId: w.locationId,
          dispositionId: w.dispositionId,
          note: w.note,
          state: w.dispositionId === null ? 'pending' : 'chosen',
          now,
        }) as WrapupRow;
        return toWrapup(row);
      });
    },
    get: (sid) => {
      const row = this.sql('SELECT * FROM wrapups WHERE twilio_call_sid = ?').get(validate(sidSchema, 'call SID', sid)) as
        | WrapupRow
        | undefined;
      return row ? toWrapup(row) : null;
    },
    list: () => (this.sql('SELECT * FROM wrapups ORDER BY ended_at, twilio_call_sid').all() as WrapupRow[]).map(toWrapup),
    resolve: (sid) => {
      const key = validate(sidSchema, 'call SID', sid);
      return this.write(() => this.sql('DELETE FROM wrapups WHERE twilio_call_sid = ?').run(key).changes > 0);
    },
  };

  readonly contacts = {
    get: (id: string): Contact | null => queries.getContact(this.db, validate(entityIdSchema, 'contact id', id)),
    findByPhone: (number: string): ScreenPop | null => queries.findByPhone(this.db, number),
  };

  readonly calls = {
    get: (id: string): CallListItem | null => this.callWhere('c.id = ?', validate(entityIdSchema, 'call id', id)),
    getBySid: (sid: string): CallListItem | null => this.callWhere('c.twilio_call_sid = ?', validate(sidSchema, 'call SID', sid)),
    history: (filters?: HistoryFilters): HistoryPage => queries.history(this.db, filters),
    setDispositionLocally: (input: SetDispositionInput): OutboxEntry => {
      const parsed = validate(setDispositionInputSchema, 'disposition', input);
      const mutation = parseMutation({
        type: 'call.setDisposition',
        idempotencyKey: parsed.idempotencyKey,
        payload:
          parsed.note === undefined
            ? { callId: parsed.callId, dispositionId: parsed.dispositionId }
            : { callId: parsed.callId, dispositionId: parsed.dispositionId, note: parsed.note },
      });
      const now = this.now();
      return this.write(() => {
        if (parsed.dispositionId !== null) {
          const disposition = this.dispositions.get(parsed.dispositionId);
          if (!disposition) throw new CacheInputError(`Unknown disposition ${parsed.dispositionId}`);
          if (disposition.deletedAt !== null) throw new CacheInputError(`Disposition "${disposition.label}" was deleted`);
        }
        const entry = enqueueMutation(this.db, mutation, now);
        const sid =
          parsed.twilioCallSid ??
          (this.sql('SELECT twilio_call_sid FROM calls WHERE id = ?').pluck().get(parsed.callId) as string | null | undefined);
        this.sql('DELETE FROM wrapups WHERE call_id = ? OR twilio_call_sid = ?').run(parsed.callId, sid ?? null);
        return entry;
      });
    },
  };

  private callWhere(where: string, value: string): CallListItem | null {
    return queries.callWhere(this.db, where, value);
  }

  readonly dispositions = {
    active: (): Disposition[] =>
      (this.sql('SELECT * FROM dispositions WHERE deleted_at IS NULL ORDER BY position, id').all() as DispositionRow[]).map(toDisposition),
    all: (): Disposition[] =>
      (this.sql('SELECT * FROM dispositions ORDER BY deleted_at IS NOT NULL, position, id').all() as DispositionRow[]).map(toDisposition),
    get: (id: string): Disposition | null => {
      const row = this.sql('SELECT * FROM dispositions WHERE id = ?').get(validate(entityIdSchema, 'disposition id', id)) as
        | DispositionRow
        | undefined;
      return row ? toDisposition(row) : null;
    },
  };

  readonly notifications = {
    list: (options?: NotificationListOptions): Notification[] => {
      const o = validate(notificationListSchema, 'notification list options', options ?? {});
      const sql = o.unreadOnly
        ? 'SELECT * FROM notifications WHERE read_at IS NULL ORDER BY created_ms DESC, id DESC LIMIT ?'
        : 'SELECT * FROM notifications ORDER BY created_ms DESC, id DESC LIMIT ?';
      return (this.sql(sql).all(o.limit) as NotificationRow[]).map(toNotification);
    },
    unreadCount: (): number => this.sql('SELECT count(*) FROM notifications WHERE read_at IS NULL').pluck().get() as number,
    markReadLocally: (notificationId: string, idempotencyKey: string): OutboxEntry => {
      const mutation = parseMutation({ type: 'notification.markRead', idempotencyKey, payload: { notificationId } });
      const now = this.now();
      return this.write(() => enqueueMutation(this.db, mutation, now));
    },
  };

  readonly tasks = {
    upsert: (input: TaskInput): Task => {
      const t = validate(taskInputSchema, 'task', input);
      const now = this.now();
      return this.write(() =>
        toTask(
          this.sql(
            `INSERT INTO tasks (id, title, due, done, contact_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, due = excluded.due, done = excluded.done,
               contact_id = excluded.contact_id, updated_at = excluded.updated_at
             RETURNING *`,
          ).get(t.id, t.title, t.due, t.done ? 1 : 0, t.contactId, now) as TaskRow,
        ),
      );
    },
    list: (options?: { includeDone?: boolean }): Task[] => {
      const sql = options?.includeDone
        ? 'SELECT * FROM tasks ORDER BY done, due IS NULL, due, id'
        : 'SELECT * FROM tasks WHERE done = 0 ORDER BY due IS NULL, due, id';
      return (this.sql(sql).all() as TaskRow[]).map(toTask);
    },
    setDone: (id: string, done: boolean): Task => {
      const key = validate(entityIdSchema, 'task id', id);
      const flag = validate(z.boolean(), 'done', done);
      const now = this.now();
      return this.write(() => {
        const row = this.sql('UPDATE tasks SET done = ?, updated_at = ? WHERE id = ? RETURNING *').get(flag ? 1 : 0, now, key) as
          | TaskRow
          | undefined;
        if (!row) throw new CacheInputError(`Unknown task ${key}`);
        return toTask(row);
      });
    },
    remove: (id: string): boolean => {
      const key = validate(entityIdSchema, 'task id', id);
      return this.write(() => this.sql('DELETE FROM tasks WHERE id = ?').run(key).changes > 0);
    },
  };

  readonly directory = {
    account: (): Account | null => {
      const row = this.sql('SELECT * FROM accounts ORDER BY seq DESC LIMIT 1').get() as AccountRow | undefined;
      return row ? toAccount(row) : null;
    },
    locations: (): Location[] => (this.sql('SELECT * FROM locations ORDER BY name, id').all() as LocationRow[]).map(toLocation),
    teams: (): Team[] => (this.sql('SELECT * FROM teams ORDER BY name, id').all() as TeamRow[]).map(toTeam),
    users: (options?: { includeDeleted?: boolean }): User[] => {
      const sql = options?.includeDeleted
        ? 'SELECT * FROM users ORDER BY name, id'
        : 'SELECT * FROM users WHERE deleted_at IS NULL ORDER BY name, id';
      return (this.sql(sql).all() as UserRow[]).map(toUser);
    },
    user: (id: string): User | null => {
      const row = this.sql('SELECT * FROM users WHERE id = ?').get(validate(entityIdSchema, 'user id', id)) as UserRow | undefined;
      return row ? toUser(row) : null;
    },
    phoneNumbers: (): PhoneNumber[] =>
      (this.sql('SELECT * FROM phone_numbers ORDER BY name, id').all() as PhoneNumberRow[]).map(toPhoneNumber),
    phoneNumberByNumber: (e164: string): PhoneNumber | null => {
      const row = this.sql('SELECT * FROM phone_numbers WHERE number = ? ORDER BY seq DESC LIMIT 1').get(
        validate(z.string().max(40), 'phone number', e164),
      ) as PhoneNumberRow | undefined;
      return row ? toPhoneNumber(row) : null;
    },
  };

  search(input: SearchInput): SearchResult {
    return queries.search(this.db, input);
  }

  clearUserData(): void {
    this.write(() => {
      this.db.exec(`
        DELETE FROM accounts; DELETE FROM locations; DELETE FROM teams; DELETE FROM users; DELETE FROM dispositions;
        DELETE FROM contacts; DELETE FROM phone_numbers; DELETE FROM calls; DELETE FROM notifications;
        DELETE FROM sync_state; DELETE FROM session; DELETE FROM outbox; DELETE FROM wrapups; DELETE FROM tasks;
        INSERT INTO contacts_fts (contacts_fts) VALUES ('delete-all');
        INSERT INTO calls_fts (calls_fts) VALUES ('delete-all');
      `);
    });
  }
}

export function openCache(options: OpenCacheOptions): CallCache {
  return new SqliteCache(openWriteConnection(options), options.file, options.now ?? Date.now);
}
