import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { PullResponse } from '../../shared/cloud';
import { openOrRebuild, type CacheRecovery } from './open-or-rebuild';
import { openOutboxJournal } from './outbox-journal';
import { ChoiceLog, choiceLogFileFor, type LoggedChoice } from './choice-log';
import { CacheWrites } from './cache-writes';
import { checkPullDates, parsePullResponse, readCursor, writePullPage } from './pull';
import { startPullWriter, type PullWriter } from './pull-writer-client';
import { asideBuildPending, asideFileFor, repairAsideBuild } from './search-aside';
import { callIndexesDeferred, restoreCallIndexes } from './deferred-call-indexes';
import { callIndexMergingPaused, callsWithLocalChanges, resumeCallIndexMerging } from './search-index';
import * as queries from './queries';
import type { PullApplied, SearchInput, SearchResult } from './types';
import { WrapupChoices } from './wrapup-choices';
import { PickTargets } from './pick-targets';
import type { PortContext } from './ports/context';
import { createOutboxPort } from './ports/outbox-port';
import { createWrapupsPort } from './ports/wrapups-port';
import { createCallsPorts } from './ports/calls-port';
import { createDirectoryPorts } from './ports/directory-port';
import { createInboxPorts } from './ports/inbox-port';
import { createSessionPorts } from './ports/session-port';
import { journalFileFor, type CallCache, type OpenCacheOptions, type OutboxPort, type WrapupsPort } from './cache-port';

export { journalFileFor };
export type { CallCache, OpenCacheOptions, OutboxPort, WrapupsPort };

/**
 * The cache on SQLite: composes how it writes (cache-writes.ts), the wrap-up choices' durable point
 * (wrapup-choices.ts) and one port per area (ports/*.ts: each validates its input and picks the
 * write); the SQL lives in one module per area (outbox, pull, queries, wrapups, directory, session,
 * notifications, tasks, sync-meta). What is left here spans areas: pulls, search, sign-out, close.
 */
class SqliteCache implements CallCache {
  private readonly writes: CacheWrites;
  private readonly choices: WrapupChoices;
  private readonly pickTargets: PickTargets;
  readonly outbox: CallCache['outbox'];
  readonly wrapups: CallCache['wrapups'];
  readonly contacts: CallCache['contacts'];
  readonly calls: CallCache['calls'];
  readonly dispositions: CallCache['dispositions'];
  readonly directory: CallCache['directory'];
  readonly notifications: CallCache['notifications'];
  readonly tasks: CallCache['tasks'];
  readonly session: CallCache['session'];
  readonly syncMeta: CallCache['syncMeta'];

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly now: () => number,
    writes: CacheWrites,
    /** The wrap-up choices' durable point (choice-log.ts); undefined when it could not be opened: each choice then syncs the WAL. */
    choiceLog: ChoiceLog | undefined,
    readonly recovery: CacheRecovery | undefined,
    private readonly nativeBinding: string | undefined,
  ) {
    this.writes = writes;
    this.choices = new WrapupChoices(db, writes, choiceLog);
    this.pickTargets = new PickTargets(db);
    writes.onTransactionEnd(() => this.pickTargets.settle());
    const context: PortContext = { db, now, writes };
    this.outbox = createOutboxPort(context);
    this.wrapups = createWrapupsPort(context, this.choices, this.pickTargets);
    ({ contacts: this.contacts, calls: this.calls } = createCallsPorts(context));
    ({ dispositions: this.dispositions, directory: this.directory } = createDirectoryPorts(context));
    ({ notifications: this.notifications, tasks: this.tasks } = createInboxPorts(context));
    ({ session: this.session, syncMeta: this.syncMeta } = createSessionPorts(context));
  }

  replayChoices(logged: readonly LoggedChoice[]): void {
    this.choices.replay(logged);
  }

  bulkPull(active: boolean): void {
    this.writes.bulkPull(active);
  }

  startPullWriter(): PullWriter {
    const writer = startPullWriter({ file: this.file, nativeBinding: this.nativeBinding, now: this.now });
    // Its connection writes dispositions where this one's triggers do not see: picks read until it has ended.
    this.pickTargets.otherWriterStarted();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.pickTargets.otherWriterEnded();
    };
    return {
      ready: writer.ready,
      write: (page) => writer.write(page),
      close: () => writer.close().finally(end),
      terminate: () => writer.terminate().finally(end),
    };
  }

  resumeInterruptedMerging(): void {
    // A first pull cut short before its search index was adopted (search-aside.ts): its calls are indexed here.
    // No pull writer runs now, so a scratch file without its marker (the cache rebuilt since) is only litter.
    if (asideBuildPending(this.db)) this.writes.pullWrite(() => repairAsideBuild(this.db, this.file));
    else rmSync(asideFileFor(this.file), { force: true });
    if (callIndexesDeferred(this.db)) this.writes.pullWrite(() => restoreCallIndexes(this.db));
    if (callIndexMergingPaused(this.db)) this.writes.pullWrite(() => resumeCallIndexMerging(this.db));
  }

  /** At open: a note an outbox write changed just before the last run ended is searchable (see CacheWrites.durable). */
  reindexLocalChanges(): void {
    this.writes.reindexLater(callsWithLocalChanges(this.db));
    this.writes.indexSearchBacklog();
  }

  close(): void {
    this.writes.close();
    this.choices.close();
    this.writes.closeFiles();
    try {
      if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Busy (a reader holds the WAL): the next open's checkpoint catches up.
    }
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
    const applied = this.writes.pullWrite(() => writePullPage(this.db, page, now));
    return { cursor: page.cursor, hasMore: page.hasMore, applied };
  }

  getCursor(): number {
    return readCursor(this.db);
  }

  search(input: SearchInput): SearchResult {
    this.writes.indexSearchBacklog();
    return queries.search(this.db, input);
  }

  clearUserData(): void {
    this.writes.write(() => {
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
    this.choices.settle();
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
  const writes = new CacheWrites(db, options.file, journal, options.checkpointEveryMs ?? 5 * 60_000, options.onDiskFull);
  const cache = new SqliteCache(db, options.file, now, writes, choices?.log, recovery, options.nativeBinding);
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
