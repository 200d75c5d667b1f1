import { create } from 'zustand';
import type { Notification } from '../../../shared/cloud';

interface AlertsState {
  /** How many alerts are unread (the Alerts tab's badge). */
  unread: number;
  /** New alerts popped in as toasts, newest first, until opened or dismissed. */
  toasts: Notification[];
  /** The highest alert seq already known: only alerts above it pop in (none for those there at sign-in). */
  seenSeq: number | null;
  /** Names for phone numbers (E.164) the alerts mention, from the local contacts cache; null = nobody. */
  names: Record<string, string | null>;
}

export const useAlerts = create<AlertsState>(() => ({ unread: 0, toasts: [], seenSeq: null, names: {} }));

/** The most toasts on screen at once: older ones stay in the Alerts list. */
export const MAX_TOASTS = 3;
