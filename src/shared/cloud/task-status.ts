import type { Dnd } from './entities';
import type { TaskStatus } from './tasks';

/**
 * The task status machine (pure, shared so the desktop can apply a receptionist's action to its
 * cache before the outbox delivers it): queued → in_progress → completed | skipped | cancelled |
 * expired. A queued task can also be finished without being started (skipped from the list,
 * cancelled by an admin, expired by the sweep). Finished tasks never change again.
 */
export type TaskAction = 'start' | 'complete' | 'skip' | 'cancel' | 'expire';

export const finishedStatuses: readonly TaskStatus[] = ['completed', 'skipped', 'cancelled', 'expired'];
export const isOpenStatus = (s: TaskStatus): boolean => s === 'queued' || s === 'in_progress';

const target: Record<Exclude<TaskAction, 'start'>, TaskStatus> = { complete: 'completed', skip: 'skipped', cancel: 'cancelled', expire: 'expired' };

export type Transition = { ok: true; status: TaskStatus } | { ok: false; message: string };

export function transition(from: TaskStatus, action: TaskAction): Transition {
  if (!isOpenStatus(from)) return { ok: false, message: `The task is already ${from}` };
  if (action === 'start') {
    return from === 'queued' ? { ok: true, status: 'in_progress' } : { ok: false, message: 'The task is already in progress' };
  }
  // Completing needs the work to have begun (Let's Start); skip, cancel and expire do not.
  if (action === 'complete' && from !== 'in_progress') return { ok: false, message: "Start the task (Let's Start) before completing it" };
  return { ok: true, status: target[action] };
}

/**
 * Why a task cannot be worked right now because of the contact's Do Not Disturb (null: it can).
 * A call task needs outbound calls allowed, an SMS task outbound texts.
 */
export function taskBlockedReason(type: 'call' | 'sms', dnd: Dnd | null | undefined): string | null {
  if (!dnd) return null;
  if (type === 'call' && dnd.call.outbound) return 'The contact turned on Do Not Disturb for calls';
  if (type === 'sms' && dnd.sms.outbound) return 'The contact turned on Do Not Disturb for text messages';
  return null;
}
