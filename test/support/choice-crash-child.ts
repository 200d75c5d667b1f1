/**
 * Child process of test/integration/choice-crash.test.ts: sets wrap-up choices on a cache the parent
 * seeded (wrap-ups CA0…CA2), printing `chose <i>` after each returns, and kills itself (SIGKILL)
 * inside choice number CRASH_AT (1-based): right after its record in the choice log is fdatasynced,
 * before the cache commits it. Choice i goes to wrap-up CA(i mod 3), with disposition and note
 * derived from i (see choiceFor, shared with the parent).
 *   argv: <cache file>   env: CRASH_AT = n
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { openCache } from '../../src/main/cache';
import { choiceFor } from './choice-crash-plan';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: choice-crash-child <file>');
const crashAt = Number(process.env.CRASH_AT ?? 0);

const openSync = fs.openSync;
const fdatasyncSync = fs.fdatasyncSync;
let logFd: number | undefined;
let logSyncs = 0;
fs.openSync = ((path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
  const fd = openSync(path, flags ?? 'r', mode);
  if (String(path).endsWith('.choices.log') && flags === 'r+') logFd = fd;
  return fd;
}) as typeof fs.openSync;
fs.fdatasyncSync = ((fd: number) => {
  fdatasyncSync(fd);
  // Each choice is one synced record (no wraps or cancels in this run): the n-th sync is choice n's durable point.
  if (fd === logFd && ++logSyncs === crashAt) process.kill(process.pid, 'SIGKILL');
}) as typeof fs.fdatasyncSync;
syncBuiltinESMExports();

const cache = openCache({ file });
for (let i = 1; ; i++) {
  const { sid, dispositionId, note } = choiceFor(i);
  cache.wrapups.setChoice(sid, { dispositionId, note });
  process.stdout.write(`chose ${i}\n`);
}
