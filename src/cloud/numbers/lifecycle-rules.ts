/**
 * The deleted-number rules of seed 001, pure: a number deleted without releasing it is held for
 * 10 days from its deletion; within them an admin may restore it, after them it is released (and
 * the restore is refused even if the release job has not run yet). A released number is gone.
 */
export const HOLD_DAYS = 10;
const DAY_MS = 86_400_000;

export const releaseDueAt = (deletedAt: Date): Date => new Date(deletedAt.getTime() + HOLD_DAYS * DAY_MS);

/** Whole days left to restore (a part-day counts as a day: "1 day left" on the last one); 0 once the window has passed. */
export function daysLeft(dueAt: Date, now: Date): number {
  const remaining = dueAt.getTime() - now.getTime();
  return remaining <= 0 ? 0 : Math.ceil(remaining / DAY_MS);
}

export type RestoreDecision = { ok: true } | { ok: false; reason: 'released' | 'window-passed' | 'active' };

export function restoreDecision(number: { status: 'active' | 'held' | 'released'; releaseDueAt: Date | null }, now: Date): RestoreDecision {
  if (number.status === 'active') return { ok: false, reason: 'active' };
  if (number.status === 'released') return { ok: false, reason: 'released' };
  if (!number.releaseDueAt || now.getTime() >= number.releaseDueAt.getTime()) return { ok: false, reason: 'window-passed' };
  return { ok: true };
}

/**
 * What a number support restores after it was released goes back to: "configurations are not
 * restored" (seed 001). Its name stays. (A number deleted with NO keeps its settings.)
 */
export const RESET_SETTINGS = {
  forwarding_number: null,
  caller_id_mode: 'caller',
  call_connect: false,
  whisper_message: null,
  record_calls: false,
  ring_timeout_seconds: 20,
  inbound_routing: 'ring_all',
  ring_all_user_ids: '[]',
  assigned_user_id: null,
} as const;
