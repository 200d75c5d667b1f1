import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { userSchema } from '../../shared/cloud';
import type { Account, Contact, Disposition, Location, Mutation, Notification, PhoneNumber, PullResponse, Team, User } from '../../shared/cloud';
import { openOrRebuild, toJournalEntry, type CacheRecovery } from './open-or-rebuild';
import { openOutboxJournal, type OutboxJournal } from './outbox-journal';
import { ChoiceLog, choiceLogFileFor, type LoggedChoice } from './choice-log';
import { CHECKPOINT_EVERY_WRITES, WalSync, WalUpkeep } from './wal-upkeep';
import * as directory from './directory';
import { isDiskFull, validate } from './errors';
import { listNotifications, unreadNotificationCount } from './notifications';
import {
  ackResults,
  batchLimitSchema,
  dropRejected,
  enqueueMutation,
  getEntry,
  listRejected,
  listUnsent,
  makeAllDue,
  markFailed,
  nextDueAt,
  parseMutation,
  parseNow,
  parseResults,
  peekBatch,
  pendingCount,
  type UnsentEntry,
} from './outbox';
import { BULK_CACHE_SIZE, BULK_CHECKPOINT_PAGES, checkPullDates, parsePullResponse, readCursor, writePullPage } from './pull';
import { startPullWriter, type PullWriter } from './pull-writer-client';
import { asideBuildPending, asideFileFor, repairAsideBuild } from './search-aside';
import { callIndexesDeferred, deferCallIndexes, restoreCallIndexes } from './deferred-call-indexes';
import { callIndexMergingPaused, pauseCallIndexMerging, callsWithLocalChanges, reindexCallById, resumeCallIndexMerging } from './search-index';
import type { SearchLater } from './overlay';
import * as queries from './queries';
import { clearSession, sessionOwner, sessionUser, setSessionUser } from './session';
import { getSyncMeta, setSyncMeta, syncKeySchema, syncValueSchema } from './sync-meta';
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
  Wrapup,
} from './types';
import { entityIdSchema, isoDateSchema, notificationListSchema, setDispositionInputSchema, wrapupChoiceSchema, wrapupInputSchema, wrapupPickSchema } from './types';
import { taskListFilterSchema, type CachedTask, type TaskListFilter } from '../../shared/ipc/contract-tasks';
import { checkTaskAction, findTaskCall, getTask, listTasks, openTaskCount, taskForCall, type TaskMutation } from './tasks';
import { choiceTarget, commitDisposition, deleteWrapup, getWrapup, listWrapups, markWaitingForCall, reopenWrapup, replayWrapupChoice, setWrapupChoice, upsertWrapup } from './wrapups';
import { journalFileFor, type CallCache, type OpenCacheOptions, type OutboxPort, type WrapupsPort } from './cache-port';

export { journalFileFor };
export type { CallCache, OpenCacheOptions, OutboxPort, WrapupsPort };

const sidSchema = z.string().min(1).max(64);
/** Page cache in KiB (negative = KiB): connection.ts's everyday size (pull.ts has the bulk pull's). */
const DEFAULT_CACHE_SIZE = -32_000;

/**
 * The cache's port: validates every input, and runs every write in one durable transaction. The SQL
 * lives in one module per area (outbox, pull, queries, wrapups, directory, session, notifications,
 * sync-meta); this class only validates and chooses the transaction.
 */
class SqliteCache implements CallCache {
  private readonly checkpointTimer: NodeJS.Timeout;
  private diskFull = false;
  private bulk = false;
  private readonly upkeep: WalUpkeep;
  private readonly walSync: WalSync;
  /** BEGIN IMMEDIATE … COMMIT around a callback; made once (better-sqlite3 builds five wrappers per `transaction()`). */
  private readonly transaction: Database.Transaction<(fn: () => unknown) => unknown>;
  /** Calls whose note an outbox write changed, re-indexed for search just after it returned (`durable`). */
  private readonly searchBacklog = new Set<string>();
  private searchScheduled: NodeJS.Immediate | undefined;
  private readonly searchLater: SearchLater = (callId) => this.searchBacklog.add(callId);

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly now: () => number,
    private readonly journal: OutboxJournal,
    /** The wrap-up choices' durable point (choice-log.ts); undefined when it could not be opened or replayed: each choice then syncs the WAL. */
    private choiceLog: ChoiceLog | undefined,
    readonly recovery: CacheRecovery | undefined,
    checkpointEveryMs: number,
    private readonly onDiskFull: ((full: boolean) => void) | undefined,
    private readonly nativeBinding: string | undefined,
  ) {
    this.upkeep = new WalUpkeep(db);
    this.walSync = new WalSync(file);
    this.transaction = db.transaction((fn: () => unknown) => fn());
    // Commits no longer sync by themselves: `write` fdatasyncs the WAL after each one (same promise as FULL, see wal-upkeep.ts); pull pages skip it.
    db.pragma('synchronous = NORMAL');
    // A lost or damaged WAL then costs at most the last few minutes of pulls (the outbox is journaled too).
    this.checkpointTimer = setInterval(() => this.upkeep.run(), checkpointEveryMs);
    this.checkpointTimer.unref();
  }

  private checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): void {
    try {
      if (this.db.open) this.db.pragma(`wal_checkpoint(${mode})`);
    } catch {
      // Busy (a reader holds the WAL): the next checkpoint catches up.
    }
  }

  /**
   * An outbox write (a disposition, a note, a task action…): what the UI shows as saved once this
   * returns. ONE sync on its path: the transaction commits with synchronous=NORMAL and the WAL file
   * is fdatasynced (wal-upkeep.ts says why that is the same guarantee, cheaper); the journal's copy
   * is written before returning and synced in the background. Derived work stays off the path: a
   * changed note is re-indexed for search right after (`fn` gets `searchLater` for it); a process
   * that dies in between has it redone at the next open (callsWithLocalChanges).
   */
  private durable(fn: (searchLater: SearchLater) => UnsentEntry): OutboxEntry {
    const stored = this.write(() => fn(this.searchLater));
    if (this.searchBacklog.size > 0 && !this.searchScheduled) {
      this.searchScheduled = setImmediate(() => {
        this.searchScheduled = undefined;
        this.indexSearchBacklog();
      });
    }
    return this.journaled(stored);
  }

  /** What the choice log runs before it wraps: every commit so far made durable (the records it overwrites). */
  private readonly syncWal = (): void => this.walSync.sync();

  /**
   * A wrap-up choice's durable point: its record in the choice log, synced; the cache's commit then
   * follows without a sync of its own (choice-log.ts says why). Undefined when the log is missing or
   * failed (e.g. the disk is gone): the caller commits with the WAL's sync instead, as every other write does.
   */
  private logChoice(choice: Omit<LoggedChoice, 'seq'>): number | undefined {
    if (!this.choiceLog) return undefined;
    try {
      return this.choiceLog.append(choice, this.syncWal);
    } catch {
      return undefined;
    }
  }

  /**
   * A checked choice set on its wrap-up, durably: its record in the choice log is its durable point
   * and the commit follows without a sync of its own (else the commit syncs the WAL). Null if no such wrap-up.
   */
  private storeChoice(sid: string, choice: z.output<typeof wrapupChoiceSchema>): Wrapup | null {
    const now = this.now();
    const logged = this.logChoice({ sid, dispositionId: choice.dispositionId, note: choice.note, at: now });
    if (logged === undefined) return this.write(() => setWrapupChoice(this.db, sid, choice, now));
    let saved: Wrapup | null;
    try {
      saved = this.commit(() => setWrapupChoice(this.db, sid, choice, now), 1);
    } catch (error) {
      this.cancelLoggedChoice(logged);
      throw error;
    }
    if (!saved) this.cancelLoggedChoice(logged);
    return saved;
  }

  /** The commit after a logged choice failed or found no wrap-up: the record must not be replayed. */
  private cancelLoggedChoice(logged: number): void {
    try {
      this.choiceLog?.cancel(logged, this.syncWal);
    } catch {
      // Still written, not synced: replay at the next open would find the same refusal, or (disk full then, room now) apply a choice the picker showed as failed.
    }
  }

  /**
   * At open: the choices the log holds, whose commit may not have reached the disk, are set again
   * (each only on a wrap-up not changed since), committed with the WAL's sync, and the log is
   * cleared. If that fails (a read-only or full disk), the records stay for the next open and this
   * run does without the log (a new record would be written over them): choices sync the WAL.
   */
  replayChoices(logged: readonly LoggedChoice[]): void {
    if (!this.choiceLog) return;
    try {
      if (logged.length > 0) this.write(() => logged.forEach((choice) => replayWrapupChoice(this.db, choice)));
      this.choiceLog.clear();
    } catch {
      this.choiceLog.close();
      this.choiceLog = undefined;
    }
  }

  /** At close: every choice's commit is synced, so the log is cleared (else kept: replaying a record again is harmless). */
  private settleChoiceLog(): void {
    if (!this.choiceLog?.hasRecords || !this.db.open) return;
    try {
      this.walSync.sync();
      this.choiceLog.clear();
    } catch {
      // Kept for the next open.
    }
  }

  /** Re-indexes the notes outbox writes changed (a commit without a sync of its own, like a pull page's). */
  private indexSearchBacklog(): void {
    if (this.searchBacklog.size === 0 || !this.db.open) return;
    const ids = [...this.searchBacklog];
    try {
      // Weighs as the few writes it is (a pull page weighs a whole batch): else every note change would bring a checkpoint.
      this.pullWrite(() => {
        for (const id of ids) reindexCallById(this.db, id);
      }, ids.length);
      for (const id of ids) this.searchBacklog.delete(id);
    } catch {
      // E.g. the disk is full: kept for the next round (the next outbox write, a search, close); the next open redoes it anyway.
    }
  }

  /** After an outbox row was committed and synced: its spare copy in the journal; the row as the caller sees it (no owner). */
  private journaled(stored: UnsentEntry): OutboxEntry {
    try {
      this.journal.add(toJournalEntry(stored));
    } catch {
      // The row is committed in the cache; the journal is only its spare copy (e.g. the disk is full).
    }
    const { ownerUser: _user, ownerCloud: _cloud, ...entry } = stored;
    return entry;
  }

  /**
   * Every write but a pull page: BEGIN IMMEDIATE … COMMIT, then the WAL file fdatasynced before it
   * returns (the connection commits at synchronous=NORMAL; this sync is what makes a returned write
   * durable, as synchronous=FULL's would, with no pragma switching per write). `weight`: how much WAL
   * it adds, in writes, for the checkpoint that follows off the write's path.
   */
  private write<T>(fn: () => T, weight = 1): T {
    const result = this.commit(fn, weight);
    this.walSync.sync();
    return result;
  }

  /** The transaction alone (no sync of its own), with the disk-full bookkeeping and the WAL upkeep's count. */
  private commit<T>(fn: () => T, weight: number): T {
    let result: T;
    try {
      result = this.transaction.immediate(fn) as T;
    } catch (error) {
      // The transaction rolled back: everything stored before it stays. Say why, once.
      if (isDiskFull(error) && !this.diskFull) {
        this.diskFull = true;
        this.onDiskFull?.(true);
      }
      throw error;
    }
    if (this.diskFull) {
      this.diskFull = false;
      this.onDiskFull?.(false);
    }
    this.upkeep.wrote(weight);
    return result;
  }

  /**
   * Pull pages commit without a sync of their own (still atomic and consistent in WAL mode): a page
   * lost to a power cut takes its cursor with it and is simply pulled again. The next `write`'s
   * sync of the WAL syncs these frames too.
   */
  private pullWrite<T>(fn: () => T, weight = CHECKPOINT_EVERY_WRITES): T {
    // During a bulk pull the WAL is checkpointed in large steps (bulkPull), not after each page.
    return this.commit(fn, this.bulk ? 0 : weight);
  }

  bulkPull(active: boolean): void {
    if (active === this.bulk || !this.db.open) return;
    this.bulk = active;
    this.db.pragma(`wal_autocheckpoint = ${active ? BULK_CHECKPOINT_PAGES : 1000}`);
    this.db.pragma(`cache_size = ${active ? BULK_CACHE_SIZE : DEFAULT_CACHE_SIZE}`);
    if (active) {
      this.pullWrite(() => {
        pauseCallIndexMerging(this.db);
        deferCallIndexes(this.db);
      });
      return;
    }
    try {
      this.pullWrite(() => restoreCallIndexes(this.db));
      this.pullWrite(() => resumeCallIndexMerging(this.db));
    } catch {
      // E.g. the disk is full: the pull's own error says so; the next open merges (resumeInterruptedMerging).
    }
    this.upkeep.run();
  }

  startPullWriter(): PullWriter {
    return startPullWriter({ file: this.file, nativeBinding: this.nativeBinding, now: this.now });
  }

  resumeInterruptedMerging(): void {
    // A first pull cut short before its search index was adopted (search-aside.ts): its calls are indexed here.
    // No pull writer runs now, so a scratch file without its marker (the cache rebuilt since) is only litter.
    if (asideBuildPending(this.db)) this.pullWrite(() => repairAsideBuild(this.db, this.file));
    else rmSync(asideFileFor(this.file), { force: true });
    if (callIndexesDeferred(this.db)) this.pullWrite(() => restoreCallIndexes(this.db));
    if (callIndexMergingPaused(this.db)) this.pullWrite(() => resumeCallIndexMerging(this.db));
  }

  /** At open: a note an outbox write changed just before the last run ended is searchable (see `durable`). */
  reindexLocalChanges(): void {
    for (const id of callsWithLocalChanges(this.db)) this.searchBacklog.add(id);
    this.indexSearchBacklog();
  }

  close(): void {
    if (this.searchScheduled) clearImmediate(this.searchScheduled);
    this.searchScheduled = undefined;
    this.indexSearchBacklog();
    clearInterval(this.checkpointTimer);
    this.upkeep.dispose();
    this.settleChoiceLog();
    this.choiceLog?.close();
    this.walSync.close();
    this.journal.close();
    this.checkpoint('TRUNCATE');
    if (this.db.open) this.db.close();
  }

  applyPull(response: unknown): PullApplied {
    return this.writePull(parsePullResponse(response));
  }

  applyPullPage(page: PullResponse): PullApplied {
    return this.writePull(checkPullDates(page));
  }

  private writePull(page: PullResponse): PullApplied {
    const now = this.now();
    const applied = this.pullWrite(() => writePullPage(this.db, page, now));
    return { cursor: page.cursor, hasMore: page.hasMore, applied };
  }

  getCursor(): number {
    return readCursor(this.db);
  }

  readonly syncMeta = {
    get: (key: string): string | number | null => getSyncMeta(this.db, validate(z.string().max(64), 'key', key)),
    set: (key: string, value: string | number | null): void => {
      const k = validate(syncKeySchema, 'sync metadata key', key);
      const v = validate(syncValueSchema, 'sync metadata value', value);
      this.write(() => setSyncMeta(this.db, k, v));
    },
  };

  readonly session = {
    setUser: (user: User, options: { signedInAt?: string; cloud?: string | null } = {}): void => {
      const u = validate(userSchema, 'user', user);
      const at = validate(isoDateSchema, 'signedInAt', options.signedInAt ?? new Date(this.now()).toISOString());
      const cloud = validate(z.string().min(1).max(300).nullable(), 'cloud', options.cloud ?? null);
      this.write(() => setSessionUser(this.db, u, at, cloud));
    },
    user: (): User | null => sessionUser(this.db),
    owner: () => sessionOwner(this.db),
    clear: (): void => this.write(() => clearSession(this.db)),
  };

  readonly outbox: OutboxPort = {
    enqueue: (input) => {
      const mutation = parseMutation(input);
      const now = this.now();
      return this.durable((searchLater) => enqueueMutation(this.db, mutation, now, searchLater));
    },
    get: (key) => getEntry(this.db, validate(z.string().max(100), 'idempotency key', key)),
    peekBatch: (limit, now = this.now()) => peekBatch(this.db, validate(batchLimitSchema, 'batch limit', limit), parseNow(now)),
    ack: (input) => {
      const results = parseResults(input);
      const outcome = this.write(() => ackResults(this.db, results));
      this.journal.done(results.filter((r) => r.status === 'applied').map((r) => r.idempotencyKey));
      return outcome;
    },
    markFailed: (keys, error, nextAttemptAt) => {
      const list = validate(z.array(z.string().max(100)), 'keys', typeof keys === 'string' ? [keys] : keys);
      const message = validate(z.string(), 'error', error);
      const at = parseNow(nextAttemptAt);
      return this.write(() => markFailed(this.db, list, message, at));
    },
    pendingCount: () => pendingCount(this.db),
    nextDueAt: () => nextDueAt(this.db),
    // Backoff times are not worth a disk flush: lost to a crash, the rows are still waiting and the
    // next start makes them due again. Every sync round calls this, so a sync here cost each round
    // an fdatasync (up to ~100 ms on a busy disk, on the way to the first token of a start).
    makeAllDue: (now = this.now()) => {
      const at = parseNow(now);
      return this.commit(() => makeAllDue(this.db, at), 1);
    },
    unsent: () => listUnsent(this.db),
    rejected: () => listRejected(this.db),
    dropRejected: (keys) => {
      const list = keys === undefined ? undefined : validate(z.array(z.string().max(100)), 'keys', keys);
      const dropped = list ?? listRejected(this.db).map((entry) => entry.idempotencyKey);
      const count = this.write(() => dropRejected(this.db, list));
      this.journal.done(dropped);
      return count;
    },
  };

  readonly wrapups: WrapupsPort = {
    upsert: (input) => {
      const w = validate(wrapupInputSchema, 'wrap-up', input);
      const now = this.now();
      return this.write(() => upsertWrapup(this.db, w, now));
    },
    setChoice: (sid, choice) => this.storeChoice(validate(sidSchema, 'call SID', sid), validate(wrapupChoiceSchema, 'wrap-up choice', choice)),
    pick: (input, check) => {
      const pick = validate(wrapupPickSchema, 'wrap-up pick', input);
      check(choiceTarget(this.db, pick.twilioCallSid, pick.dispositionId));
      return this.storeChoice(pick.twilioCallSid, pick);
    },
    get: (sid) => getWrapup(this.db, validate(sidSchema, 'call SID', sid)),
    list: () => listWrapups(this.db),
    open: () => listWrapups(this.db, 'open'),
    waitingForCall: () => listWrapups(this.db, 'waitingForCall'),
    resolve: (sid) => {
      const key = validate(sidSchema, 'call SID', sid);
      return this.write(() => deleteWrapup(this.db, key));
    },
    markWaitingForCall: (sid, since) => {
      const key = validate(sidSchema, 'call SID', sid);
      const at = parseNow(since);
      return this.write(() => markWaitingForCall(this.db, key, at));
    },
    reopen: (sid) => {
      const key = validate(sidSchema, 'call SID', sid);
      const now = this.now();
      return this.write(() => reopenWrapup(this.db, key, now));
    },
  };

  readonly contacts = {
    get: (id: string): Contact | null => queries.getContact(this.db, validate(entityIdSchema, 'contact id', id)),
    findByPhone: (number: string): ScreenPop | null => queries.findByPhone(this.db, number),
    /** Assigns the contact to a team member (or none) here at once, and through the outbox to the cloud. */
    assignLocally: (contactId: string, assignedUserId: string | null, idempotencyKey: string): OutboxEntry => {
      const mutation = parseMutation({ type: 'contact.update', idempotencyKey, payload: { contactId, assignedUserId } });
      const now = this.now();
      return this.durable(() => enqueueMutation(this.db, mutation, now));
    },
  };

  readonly calls = {
    get: (id: string): CallListItem | null => this.callWhere('c.id = ?', validate(entityIdSchema, 'call id', id)),
    getBySid: (sid: string): CallListItem | null => this.callWhere('c.twilio_call_sid = ?', validate(sidSchema, 'call SID', sid)),
    history: (filters?: HistoryFilters): HistoryPage => {
      this.indexSearchBacklog();
      return queries.history(this.db, filters);
    },
    setDispositionLocally: (input: SetDispositionInput): OutboxEntry => {
      const parsed = validate(setDispositionInputSchema, 'disposition', input);
      const mutation = parseMutation({
        type: 'call.setDisposition',
        idempotencyKey: parsed.idempotencyKey,
        payload:
          parsed.note === undefined
            ? { callId: parsed.callId, dispositionId: parsed.dispositionId }
            : { callId: parsed.callId, dispositionId: parsed.dispositionId, note: parsed.note },
      }) as Extract<Mutation, { type: 'call.setDisposition' }>;
      const now = this.now();
      return this.durable((searchLater) => commitDisposition(this.db, mutation, parsed.twilioCallSid, now, searchLater));
    },
  };

  private callWhere(where: string, value: string): CallListItem | null {
    return queries.callWhere(this.db, where, value);
  }

  readonly dispositions = {
    active: (): Disposition[] => directory.activeDispositions(this.db),
    activeCount: (): number => directory.activeDispositionCount(this.db),
    all: (): Disposition[] => directory.allDispositions(this.db),
    get: (id: string): Disposition | null => directory.dispositionById(this.db, validate(entityIdSchema, 'disposition id', id)),
  };

  readonly notifications = {
    list: (options?: NotificationListOptions): Notification[] =>
      listNotifications(this.db, validate(notificationListSchema, 'notification list options', options ?? {})),
    unreadCount: (): number => unreadNotificationCount(this.db),
    markReadLocally: (notificationId: string, idempotencyKey: string): OutboxEntry => {
      const mutation = parseMutation({ type: 'notification.markRead', idempotencyKey, payload: { notificationId } });
      const now = this.now();
      return this.durable(() => enqueueMutation(this.db, mutation, now));
    },
  };

  readonly tasks = {
    list: (filter?: TaskListFilter): CachedTask[] => listTasks(this.db, validate(taskListFilterSchema, 'task filter', filter ?? {})),
    get: (id: string): CachedTask | null => getTask(this.db, validate(entityIdSchema, 'task id', id)),
    openCount: (): number => openTaskCount(this.db),
    callFor: (taskId: string): string | null => findTaskCall(this.db, validate(entityIdSchema, 'task id', taskId)),
    /** The in-progress call task this user's call (by id) was placed for, or null (see taskForCall). */
    forCall: (callId: string): CachedTask | null => taskForCall(this.db, validate(entityIdSchema, 'call id', callId)),
    act: (input: TaskMutation): OutboxEntry => {
      const mutation = parseMutation(input) as TaskMutation;
      const now = this.now();
      return this.durable(() => {
        checkTaskAction(this.db, mutation);
        return enqueueMutation(this.db, mutation, now);
      });
    },
  };

  readonly directory = {
    account: (): Account | null => directory.account(this.db),
    locations: (): Location[] => directory.locations(this.db),
    teams: (): Team[] => directory.teams(this.db),
    users: (options?: { includeDeleted?: boolean }): User[] => directory.users(this.db, options),
    user: (id: string): User | null => directory.userById(this.db, validate(entityIdSchema, 'user id', id)),
    phoneNumbers: (): PhoneNumber[] => directory.phoneNumbers(this.db),
    phoneNumberByNumber: (e164: string): PhoneNumber | null => directory.phoneNumberByNumber(this.db, validate(z.string().max(40), 'phone number', e164)),
  };

  search(input: SearchInput): SearchResult {
    this.indexSearchBacklog();
    return queries.search(this.db, input);
  }

  clearUserData(): void {
    this.write(() => {
      this.db.exec(`
        DELETE FROM accounts; DELETE FROM locations; DELETE FROM teams; DELETE FROM users; DELETE FROM dispositions;
        DELETE FROM contacts; DELETE FROM phone_numbers; DELETE FROM calls; DELETE FROM notifications;
        DELETE FROM sync_state; DELETE FROM session; DELETE FROM wrapups;
        DELETE FROM tasks;
        INSERT INTO contacts_fts (contacts_fts) VALUES ('delete-all');
        INSERT INTO calls_fts (calls_fts) VALUES ('delete-all');
      `);
    });
    // The wrap-ups are gone (synced): their choices' records, notes and all, go from the log too.
    this.settleChoiceLog();
  }
}

/**
 * Opens (or, when damaged, rebuilds) the cache and its outbox journal. A rebuilt cache is empty
 * until the next pull; its unsent changes are recovered (see `recovery`).
 */
export function openCache(options: OpenCacheOptions): CallCache {
  const now = options.now ?? Date.now;
  const journal = openOutboxJournal(journalFileFor(options.file));
  const { db, recovery } = openOrRebuild({ ...options, journal, now });
  const choices = openChoiceLog(options.file);
  if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
  const cache = new SqliteCache(db, options.file, now, journal, choices?.log, recovery, options.checkpointEveryMs ?? 5 * 60_000, options.onDiskFull, options.nativeBinding);
  if (choices) cache.replayChoices(choices.logged);
  try {
    cache.resumeInterruptedMerging();
  } catch {
    // Read-only or full disk: search still works (more segments to read); the next bulk pull's end merges.
  }
  try {
    cache.reindexLocalChanges();
  } catch {
    // Read-only or full disk: a note changed just before a crash stays unsearchable until it changes again.
  }
  return cache;
}

/** The choice log beside the cache; undefined (choices then sync the WAL) when it cannot be opened or created, e.g. a read-only folder. */
function openChoiceLog(file: string): ReturnType<typeof ChoiceLog.open> | undefined {
  try {
    return ChoiceLog.open(choiceLogFileFor(file));
  } catch {
    return undefined;
  }
}
