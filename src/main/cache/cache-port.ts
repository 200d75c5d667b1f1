import type { Account, Contact, Disposition, Location, Notification, PhoneNumber, PullResponse, Team, User } from '../../shared/cloud';
import type { CachedTask, TaskListFilter } from '../../shared/ipc/contract-tasks';
import type { CacheRecovery } from './open-or-rebuild';
import type { PullWriter } from './pull-writer-client';
import type { AckOutcome, UnsentEntry } from './outbox';
import type { TaskMutation } from './tasks';
import type {
  CallListItem,
  ChoiceTarget,
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
  WrapupChoice,
  WrapupPick,
  WrapupInput,
} from './types';

/** The cache's ports (what callers depend on); cache.ts composes them on SQLite (ports/*.ts, cache-writes.ts). */

export interface OpenCacheOptions {
  /** The SQLite file (created if missing), e.g. join(app.getPath('userData'), 'cache.sqlite'). */
  file: string;
  /** Electron's build of better-sqlite3: electronBindingPath('better-sqlite3', appRoot, process.versions). */
  nativeBinding?: string | undefined;
  /** Epoch-ms clock for outbox times (tests inject one). */
  now?: () => number;
  /** How often the WAL is checkpointed into the database file (default 5 minutes; also at close). */
  checkpointEveryMs?: number;
  /** A write failed for lack of disk space (true), or a write succeeded after that (false). */
  onDiskFull?: (full: boolean) => void;
  /** Caps the file at this many pages: writes past it fail as on a full disk (SQLITE_FULL). For fault tests. */
  maxPageCount?: number;
}

/** The outbox journal beside the cache file (see outbox-journal.ts). */
export const journalFileFor = (file: string): string => file.replace(/(\.sqlite)?$/, '.outbox.jsonl');

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
  /** Waiting rows of the signed-in owner (user and cloud); other owners' rows wait for them. */
  pendingCount(): number;
  /** When the owner's earliest waiting row is due, if any. */
  nextDueAt(): number | undefined;
  /** The connection is back: every waiting row of the owner becomes due at `now`. */
  makeAllDue(now?: number): number;
  /** Every row no cloud has accepted yet, of every owner (pending and refused), for an admin to see and export. */
  unsent(): UnsentEntry[];
  rejected(): OutboxEntry[];
  /** Forgets rejected rows once the user was told (all, or these keys). */
  dropRejected(keys?: readonly string[]): number;
}

export interface WrapupsPort {
  upsert(input: WrapupInput): Wrapup;
  /** Sets the receptionist's choice (disposition or none, note) on a waiting wrap-up, durably; null if there is none. */
  setChoice(twilioCallSid: string, choice: WrapupChoice): Wrapup | null;
  get(twilioCallSid: string): Wrapup | null;
  /**
   * The receptionist's pick (the keystroke's path): `check` gets what the pick is checked against
   * (null: no such wrap-up waits) and throws to refuse it, and nothing is written; else it is set
   * durably as `setChoice` sets it. One parse of the input and one read before the durable point.
   */
  pick(input: WrapupPick, check: (target: ChoiceTarget | null) => void): Wrapup | null;
  /** Every wrap-up still waiting, oldest call first. */
  list(): Wrapup[];
  /** The ones the picker shows: as `list`, less those whose committed choice waits for its call. */
  open(): Wrapup[];
  /** Those whose committed choice waits for its call (`markWaitingForCall`), as `list` orders them. */
  waitingForCall(): Wrapup[];
  /** Forgets a wrap-up without a disposition (no disposition applies, or the user skipped it). */
  resolve(twilioCallSid: string): boolean;
  /**
   * Its choice is committed, but its call has not arrived from the cloud yet: done for the
   * receptionist; committed when the call comes (the commit deletes the wrap-up, mark and all). False if no such wrap-up.
   */
  markWaitingForCall(twilioCallSid: string, since: number): boolean;
  /**
   * Undoes `markWaitingForCall` for a choice that can never be committed (none, or its disposition
   * deleted): the wrap-up is back in `open`, with no choice. False if no such wrap-up.
   */
  reopen(twilioCallSid: string): boolean;
}

/** The desktop's local cache: the port the sync engine, IPC handlers and tests depend on. */
export interface CallCache {
  readonly file: string;
  /** Set when this start had to rebuild the cache (damaged, emptied or deleted file): tell the user. */
  readonly recovery: CacheRecovery | undefined;
  /** Checkpoints the WAL into the database file, then closes. */
  close(): void;

  /** Applies one pull page and its cursor in one transaction; a bad page changes nothing. */
  applyPull(response: unknown): PullApplied;
  /** The same for a page the cloud client already parsed with pullResponseSchema (only the date checks run again). */
  applyPullPage(page: PullResponse): PullApplied;
  /**
   * A long pull (many pages) starts or ends: while on, the WAL is checkpointed in large steps and the
   * page cache is larger, so 100,000 calls are not rewritten into the file a few MB at a time.
   * Ending it checkpoints once and restores the everyday settings.
   */
  bulkPull(active: boolean): void;
  /**
   * A long pull's pages written on their own thread (pull-writer.ts), so the main thread fetches and
   * parses the next page meanwhile and stays free; the writer has its own connection to this file.
   */
  startPullWriter(): PullWriter;
  /** A bulk pull cut short (crash, a writer thread that died) left search-index merging paused or the calls' indexes unbuilt (deferred-call-indexes.ts): put that right now. */
  resumeInterruptedMerging(): void;
  getCursor(): number;
  syncMeta: {
    get(key: string): string | number | null;
    set(key: string, value: string | number | null): void;
  };

  session: {
    /** Records who is signed in and to which cloud (`cloud`: 'embedded' or the cloud's origin); new outbox rows are theirs. */
    setUser(user: User, options?: { signedInAt?: string; cloud?: string | null }): void;
    /** The signed-in user, from the latest pulled row when there is one. */
    user(): User | null;
    /** Whose data and outbox rows the cache holds: the last signed-in user and their cloud. */
    owner(): { userId: string; cloud: string | null } | null;
    clear(): void;
  };

  outbox: OutboxPort;
  wrapups: WrapupsPort;

  contacts: {
    get(id: string): Contact | null;
    /** The incoming-call screen pop for a caller's number; null when nothing is known about it. */
    findByPhone(number: string): ScreenPop | null;
    /** Assigns the contact to a team member (or none) here at once, and through the outbox to the cloud. */
    assignLocally(contactId: string, assignedUserId: string | null, idempotencyKey: string): OutboxEntry;
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
    /** How many the picker offers (the digit hotkeys to bind), without reading them. */
    activeCount(): number;
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
    /** The Manual Actions queue, oldest first (finished ones: newest first). */
    list(filter?: TaskListFilter): CachedTask[];
    get(id: string): CachedTask | null;
    /** The badge: the signed-in user's open tasks. */
    openCount(): number;
    /** The call placed for a call task (this user's newest outbound call to the contact since it started), or null. */
    callFor(taskId: string): string | null;
    /** The in-progress call task this user's call was placed for (its wrap-up is the task's outcome), or null. */
    forCall(callId: string): CachedTask | null;
    /** Claim / start / finish: checked against the cached task, applied here at once and queued, atomically. */
    act(mutation: TaskMutation): OutboxEntry;
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
  /**
   * Another user (or cloud) signs in: forgets every cached row of the previous one and the cursor.
   * The outbox is kept: each row waits for its own user and cloud (see `outbox.pendingCount`).
   */
  clearUserData(): void;
}
