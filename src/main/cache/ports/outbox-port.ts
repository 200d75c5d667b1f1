import { z } from 'zod';
import type { OutboxPort } from '../cache-port';
import { validate } from '../errors';
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
} from '../outbox';
import type { PortContext } from './context';

const keysSchema = z.array(z.string().max(100));

/** The outbox: mutations waiting for the cloud, each stored durably with its local effect (outbox.ts has the SQL). */
export function createOutboxPort({ db, now, writes }: PortContext): OutboxPort {
  return {
    enqueue: (input) => {
      const mutation = parseMutation(input);
      const at = now();
      return writes.durable((searchLater) => enqueueMutation(db, mutation, at, searchLater));
    },
    get: (key) => getEntry(db, validate(z.string().max(100), 'idempotency key', key)),
    peekBatch: (limit, at = now()) => peekBatch(db, validate(batchLimitSchema, 'batch limit', limit), parseNow(at)),
    ack: (input) => {
      const results = parseResults(input);
      const outcome = writes.write(() => ackResults(db, results));
      writes.journalDone(results.filter((r) => r.status === 'applied').map((r) => r.idempotencyKey));
      return outcome;
    },
    markFailed: (keys, error, nextAttemptAt) => {
      const list = validate(keysSchema, 'keys', typeof keys === 'string' ? [keys] : keys);
      const message = validate(z.string(), 'error', error);
      const at = parseNow(nextAttemptAt);
      return writes.write(() => markFailed(db, list, message, at));
    },
    pendingCount: () => pendingCount(db),
    nextDueAt: () => nextDueAt(db),
    // Backoff times are not worth a disk flush: lost to a crash, the rows are still waiting and the
    // next start makes them due again. Every sync round calls this, so a sync here cost each round
    // an fdatasync (up to ~100 ms on a busy disk, on the way to the first token of a start).
    makeAllDue: (at = now()) => {
      const due = parseNow(at);
      return writes.commit(() => makeAllDue(db, due), 1);
    },
    unsent: () => listUnsent(db),
    rejected: () => listRejected(db),
    dropRejected: (keys) => {
      const list = keys === undefined ? undefined : validate(keysSchema, 'keys', keys);
      const dropped = list ?? listRejected(db).map((entry) => entry.idempotencyKey);
      const count = writes.write(() => dropRejected(db, list));
      writes.journalDone(dropped);
      return count;
    },
  };
}
