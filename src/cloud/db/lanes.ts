import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which connections a piece of work may use. Twilio's webhooks are `webhook`: a caller is waiting
 * on the line and Twilio gives up after 15 s, so they get their own PostgreSQL pool and go first
 * for PGlite's one connection. Everything else (sync pushes and pulls, the admin API, workers) is
 * `default`. The HTTP admission hook sets the lane for a whole request (`http/admission.ts`), so a
 * service never names it: the database driver reads it here.
 */
export type Lane = 'webhook' | 'default';

const lanes = new AsyncLocalStorage<Lane>();

/** Runs `fn` (and everything it awaits) in `lane`. */
export function runInLane<T>(lane: Lane, fn: () => T): T {
  return lanes.run(lane, fn);
}

export function currentLane(): Lane {
  return lanes.getStore() ?? 'default';
}
