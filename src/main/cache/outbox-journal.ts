import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';

/**
 * A copy of the outbox that survives what the cache file does not: an append-only file of JSON
 * lines beside it. Every stored mutation is appended (and fsynced) after its transaction commits;
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
  /** Durable (fsynced) before it returns. */
  add(entry: JournalEntry): void;
  /** Not fsynced: a lost "done" only means a harmless resend (the cloud applies a key once). */
  done(keys: readonly string[]): void;
  /** The mutations added and not done, oldest first; a torn or unreadable line is skipped. */
  live(): JournalEntry[];
  /** Rewrites the file to hold exactly these entries (atomic: a temp file renamed over it). */
  rewrite(entries: readonly JournalEntry[]): void;
}

export function openOutboxJournal(file: string): OutboxJournal {
  const append = (line: unknown, sync: boolean) => {
    const fd = openSync(file, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
      if (sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  return {
    file,
    add: (entry) => append({ add: entry }, true),
    done: (keys) => {
      if (keys.length > 0) append({ done: keys }, false);
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
  };
}
