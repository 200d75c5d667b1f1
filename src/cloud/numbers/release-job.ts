import { write } from '../db/unit-of-work';
import type { NumbersDeps } from './deps';
import { HOLD_DAYS } from './lifecycle-rules';
import { markReleased, releaseAtTwilio } from './lifecycle';
import { claimNumber } from './operations';

/**
 * The automatic release (seed 001: "after 10 days it may be permanently released"): every held
 * number whose 10 days have passed is given back to Twilio and marked released, audited with no
 * actor. Safe to run anywhere and often: each number is claimed before Twilio is called, so two
 * instances (or an admin restoring at the last second) never act on the same number; a failed
 * release is left held and tried again next run.
 */
export async function releaseDueNumbers(deps: NumbersDeps, options: { batch?: number } = {}): Promise<{ released: string[]; failed: string[] }> {
  const { db, log } = deps.ctx;
  const due = await db.query<{ id: string; account_id: string }>(
    `SELECT id, account_id FROM phone_numbers
      WHERE status = 'held' AND release_due_at <= now() AND (operation IS NULL OR operation_at < now() - interval '5 minutes')
      ORDER BY release_due_at LIMIT $1`,
    [options.batch ?? 100],
  );
  const released: string[] = [];
  const failed: string[] = [];
  for (const { id, account_id: accountId } of due) {
    const row = await claimNumber(db, accountId, id, 'releasing', ['held'], 'release_due_at <= now()');
    if (!row) continue; // restored or released meanwhile
    try {
      await releaseAtTwilio(deps, row, id);
    } catch (error) {
      log.warn({ err: error, numberId: id }, 'automatic release failed; the number stays held and is tried again next run');
      failed.push(id);
      continue;
    }
    await write(db, accountId, async (uow) => {
      await markReleased(uow, id, null, false);
      await uow.audit(null, 'phone_number.auto_release', 'phone_number', id, { phoneNumber: row.number, heldDays: HOLD_DAYS, deletedDueAt: row.release_due_at });
    });
    released.push(id);
  }
  if (released.length > 0) log.info({ released: released.length }, 'released held numbers whose 10 days had passed');
  return { released, failed };
}

export interface ReleaseJob {
  /** Runs now (and returns what it did); runs never overlap. */
  runNow(): Promise<{ released: string[]; failed: string[] }>;
  stop(): Promise<void>;
}

/**
 * Runs `releaseDueNumbers` every `intervalMs` (default hourly) in this process, and once at start.
 * The cloud has no shared job runner yet; when the automation engine's pg-boss lands, this becomes
 * one of its scheduled jobs (the function above is the whole job either way).
 */
export function startReleaseJob(deps: NumbersDeps, options: { intervalMs?: number } = {}): ReleaseJob {
  const intervalMs = options.intervalMs ?? 3_600_000;
  let running: Promise<{ released: string[]; failed: string[] }> | null = null;
  let stopped = false;
  const runNow = (): Promise<{ released: string[]; failed: string[] }> => {
    running ??= releaseDueNumbers(deps)
      .catch((error: unknown) => {
        deps.ctx.log.error({ err: error }, 'the automatic number release failed');
        return { released: [], failed: [] };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const tick = (): void => {
    if (!stopped) void runNow();
  };
  const first = setTimeout(tick, Math.min(intervalMs, 5_000));
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
