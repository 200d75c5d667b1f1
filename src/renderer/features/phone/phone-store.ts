import { create } from 'zustand';
import type { IncomingCall } from '../../../shared/cloud';
import type { ScreenPopView, WrapUpStateView } from '../../../shared/ipc/views';

interface PhoneState {
  /** Screen-pop data the cloud pushed for ringing calls, by the cloud's call id. */
  incoming: Record<string, IncomingCall>;
  /** Local-cache lookups by caller number: contact, assigned user, last call. null = unknown caller. */
  lookups: Record<string, ScreenPopView | null>;
  /** Main's wrap-up state (calls waiting for a disposition, the undo window): pushed by main, rendered here. */
  wrapUps: WrapUpStateView;
  /** The location the receptionist works in; dispositions apply only to its calls. */
  selectedLocationId: string | null;
  /** The last thing that went wrong with a phone action, in words. */
  message: { level: 'error' | 'info'; text: string } | null;
  addIncoming(call: IncomingCall): void;
  setLookup(number: string, pop: ScreenPopView | null): void;
  setWrapUps(state: WrapUpStateView): void;
  selectLocation(id: string | null): void;
  say(level: 'error' | 'info', text: string): void;
  clearMessage(): void;
  /** Sign-out: forget the callers, the screen pops and the message. */
  reset(): void;
}

/** How long a confirmation ("Logged “Booked”.") stays: long enough to read, gone before the next call. */
export const INFO_MESSAGE_MS = 6_000;
let fadeTimer: ReturnType<typeof setTimeout> | null = null;
const stopFade = () => {
  if (fadeTimer) clearTimeout(fadeTimer);
  fadeTimer = null;
};

export const usePhone = create<PhoneState>((set) => ({
  incoming: {},
  lookups: {},
  wrapUps: { items: [], undo: null, error: null },
  selectedLocationId: null,
  message: null,
  addIncoming: (call) =>
    set((s) => {
      // Keep the last few: screen pops are only needed while a call rings or is open.
      const entries = Object.entries({ ...s.incoming, [call.callId]: call }).slice(-20);
      return { incoming: Object.fromEntries(entries) };
    }),
  setLookup: (number, pop) => set((s) => ({ lookups: { ...s.lookups, [number]: pop } })),
  setWrapUps: (wrapUps) => set({ wrapUps }),
  selectLocation: (selectedLocationId) => set({ selectedLocationId }),
  say: (level, text) => {
    stopFade();
    const message = { level, text };
    set({ message });
    // Confirmations fade; a problem stays until dismissed or replaced.
    if (level === 'info') fadeTimer = setTimeout(() => set((s) => (s.message === message ? { message: null } : s)), INFO_MESSAGE_MS);
  },
  clearMessage: () => {
    stopFade();
    set({ message: null });
  },
  reset: () => {
    stopFade();
    set({ incoming: {}, lookups: {}, wrapUps: { items: [], undo: null, error: null }, message: null });
  },
}));
