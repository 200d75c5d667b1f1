import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { z } from 'zod';

/**
 * A copy of the outbox that survives what the cache file does not: an append-only file of JSON
 * lines beside it. Every stored mutation is appended after its transaction commits (the commit's
 * own WAL sync is what makes it durable; the journal is synced right after, off the write's path);
 * a mutation the cloud answered or the user dismissed is appended as done. When the cache has to be
 * rebuilt (damaged, truncated to zero, deleted), the mutations still live here go back into the new
 * outbox. At every start it is rewritten to hold just the live ones.
 */
export const journalEntrySchema = z.object({
  key: z.string().min(1).max(100),
  type: z.string().min(1).max(64),
  payload: z.unknown(),
  createdAt: z.number().int().nonnegative(),
  ownerUser: z.string().nullable(),
  ownerCloud: z.string().nullable(),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

const lineSchema = z.union([z.object({ add: journalEntrySchema }), z.object({ done: z.array(z.string()) })]);

export interface OutboxJournal {
  readonly file: string;
  /**
   * Written before it returns (so it survives the process being killed); fdatasynced in the
   * background right after (libuv's thread pool), so it is not a second sync on the write's path.
   */
  add(entry: JournalEntry): void;
  /** Resolves once every line added so far is on disk. */
  flushed(): Promise<void>;
  /** Not fsynced: a lost "done" only means a harmless resend (the cloud applies a key once). */
  done(keys: readonly string[]): void;
  /** The mutations added and not done, oldest first; a torn or unreadable line is skipped. */
  live(): JournalEntry[];
  /** Rewrites the file to hold exactly these entries (atomic: a temp file renamed over it). */
  rewrite(entries: readonly JournalEntry[]): void;
  /** Closes the file kept open for appending (a later append opens it again). */
  close(): void;
}

export function openOutboxJournal(file: string): OutboxJournal {
  // Opened at the first append and kept (one write per line, not open + write + close); `rewrite` renames a new file over it, so it closes it first.
  let appendFd: number | undefined;
  const closeAppend = () => {
    if (appendFd !== undefined) closeSync(appendFd);
    appendFd = undefined;
  };
  const append = (line: unknown) => {
    appendFd ??= openSync(file, 'a', 0o600);
    try {
      writeSync(appendFd, `${JSON.stringify(line)}\n`);
    } catch (error) {
      closeAppend();
      throw error;
    }
  };
  // One background sync at a time; lines added while it runs are covered by one more.
  let syncing: Promise<void> | undefined;
  let again = false;
  const syncSoon = (): Promise<void> => {
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = (async () => {
      do {
        again = false;
        const handle = await open(file, 'r+');
        try {
          await handle.datasync();
        } finally {
          await handle.close();
        }
      } while (again);
    })()
      .catch(() => {
        // The lines are written; a failed sync (disk gone) leaves them to the OS. The cache holds the rows durably.
      })
      .finally(() => {
        syncing = undefined;
      });
    return syncing;
  };
  return {
    file,
    add: (entry) => {
      append({ add: entry });
      void syncSoon();
    },
    flushed: () => syncing ?? Promise.resolve(),
    done: (keys) => {
      if (keys.length > 0) append({ done: keys });
    },
    live() {
      if (!existsSync(file)) return [];
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      const live = new Map<string, JournalEntry>();
      for (const raw of text.split('\n')) {
        if (!raw.trim()) continue;
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          continue;
        }
        const line = lineSchema.safeParse(json);
        if (!line.success) continue;
        if ('add' in line.data) {
          if (!live.has(line.data.add.key)) live.set(line.data.add.key, line.data.add);
        } else for (const key of line.data.done) live.delete(key);
      }
      return [...live.values()];
    },
    rewrite(entries) {
      closeAppend();
      const temp = `${file}.tmp`;
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeSync(fd, entries.map((entry) => `${JSON.stringify({ add: entry })}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    },
    close: closeAppend,
  };
}
