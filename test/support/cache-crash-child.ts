/**
 * Child process of test/integration/cache-crash.test.ts: writes to the cache's outbox as fast as it
 * can and prints one line per write *after* the write returned, until it is killed with SIGKILL.
 * Lines: `ready`, `replayed <key> <seq>`, `ack <json>`.
 *   argv: <cache file> <run number>   env: CRASH_REPLAY = a mutation JSON to enqueue again first;
 *   CRASH_BETWEEN_AT = n: kill itself (SIGKILL) inside the n-th write, after the cache's commit and
 *   WAL sync and before the outbox journal's line is written (the write has not returned, so no `ack`).
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import type { Mutation } from '../../src/shared/cloud';
import { openCache } from '../../src/main/cache';
import { call, page, seedPage } from './cache-fixtures';

const [file, runArg] = process.argv.slice(2);
if (!file || !runArg) throw new Error('usage: cache-crash-child <file> <run>');
const run = Number(runArg);
const CALLS = 8;
const DISPOSITIONS = ['dsp_booked', 'dsp_follow', 'dsp_spam'] as const;

// Pipes are synchronous on Linux: when write returns, the parent can read the line even if we die next.
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const betweenAt = Number(process.env.CRASH_BETWEEN_AT ?? 0);
if (betweenAt > 0) {
  // The journal appends each entry as one writeSync of an `{"add":…}` line to the file it keeps open
  // for appending; the n-th such write is the kill point (the commit and the WAL sync are done by
  // then). Only writes to that append descriptor count: the journal's rewrite at open (a new file
  // written whole, also `{"add":…}` lines) is not a write's append.
  const openSync = fs.openSync;
  const writeSync = fs.writeSync;
  const appendFds = new Set<number>();
  let appends = 0;
  fs.openSync = ((path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    const fd = openSync(path, flags ?? 'r', mode);
    // A reused number (the rewrite's new file after the append descriptor closed) is no longer the append's.
    if (String(path).endsWith('.outbox.jsonl') && flags === 'a') appendFds.add(fd);
    else appendFds.delete(fd);
    return fd;
  }) as typeof fs.openSync;
  fs.writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
    if (appendFds.has(fd) && typeof data === 'string' && data.startsWith('{"add":') && ++appends >= betweenAt) process.kill(process.pid, 'SIGKILL');
    return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
}

const cache = openCache({ file });
if (cache.getCursor() === 0) {
  cache.applyPull(seedPage(10));
  cache.applyPull(page({ calls: Array.from({ length: CALLS }, (_, i) => call(`call${i}`)) }, 11));
}
const replay = process.env.CRASH_REPLAY;
if (replay) {
  const entry = cache.outbox.enqueue(JSON.parse(replay) as Mutation);
  say(`replayed ${entry.idempotencyKey} ${entry.seq}`);
}
say('ready');

for (let i = 0; ; i++) {
  const key = `crash-r${String(run).padStart(3, '0')}-i${String(i).padStart(6, '0')}`;
  const callId = `call${i % CALLS}`;
  if (i % 2 === 0) {
    const dispositionId = DISPOSITIONS[i % DISPOSITIONS.length]!;
    cache.calls.setDispositionLocally({ callId, dispositionId, note: `note ${key}`, idempotencyKey: key });
    const mutation: Mutation = { type: 'call.setDisposition', idempotencyKey: key, payload: { callId, dispositionId, note: `note ${key}` } };
    say(`ack ${JSON.stringify(mutation)}`);
  } else {
    const mutation: Mutation = { type: 'call.setNote', idempotencyKey: key, payload: { callId, note: `plain ${key}` } };
    cache.outbox.enqueue(mutation);
    say(`ack ${JSON.stringify(mutation)}`);
  }
}
