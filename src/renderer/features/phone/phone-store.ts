import { create } from 'zustand';
import type { IncomingCall } from '../../../shared/cloud';
import type { ScreenPopView, WrapupView, WrapUpStateView } from '../../../shared/ipc/views';

interface PhoneState {
  /** Screen-pop data the cloud pushed for ringing calls, by the cloud's call id. */
  incoming: Record<string, IncomingCall>;
  /** Local-cache lookups by caller number: contact, assigned user, last call. null = unknown caller. */
  lookups: Record<string, ScreenPopView | null>;
  /**
   * The wrap-up state rendered: main's (calls waiting for a disposition, the undo window: pushed by
   * main), plus the wrap-ups of calls that just ended which main has not answered for yet.
   */
  wrapUps: WrapUpStateView;
  /** Main's own wrap-up state, as last pushed or answered. */
  mainWrapUps: WrapUpStateView;
  /**
   * Wrap-ups asked of main and not yet answered: shown at once, so the picker replaces the call's
   * panel in the frame the call ends rather than after a round trip to main (the dialer flashed
   * between them, and a number typed into it went astray).
   */
  startingWrapUps: WrapupView[];
  /** The location the receptionist works in; dispositions apply only to its calls. */
  selectedLocationId: string | null;
  /**
   * The last thing that went wrong with a phone action, or a confirmation, in words. `loggedFor`: the
   * call whose disposition a confirmation reports ("Logged “Booked”.").
   */
  message: { level: 'error' | 'info'; text: string; loggedFor?: string } | null;
  addIncoming(call: IncomingCall): void;
  setLookup(number: string, pop: ScreenPopView | null): void;
  setWrapUps(state: WrapUpStateView): void;
  /**
   * A call ended: its wrap-up shows now, until main answers for it (settleWrapUp). The previous
   * call's "Logged" goes: beside this call's picker it would read as this call's.
   */
  beginWrapUp(wrapup: WrapupView): void;
  /** Main answered the start of this call's wrap-up: its state alone says whether it shows. */
  settleWrapUp(twilioCallSid: string): void;
  selectLocation(id: string | null): void;
  say(level: 'error' | 'info', text: string, loggedFor?: string): void;
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

const NO_WRAP_UPS: WrapUpStateView = { items: [], undo: null, error: null };

/** Main's state with the wrap-ups still starting after its own (they ended last). */
function withStarting(main: WrapUpStateView, starting: WrapupView[]): WrapUpStateView {
  const waiting = starting.filter((w) => !main.items.some((m) => m.twilioCallSid === w.twilioCallSid));
  return waiting.length === 0 ? main : { ...main, items: [...main.items, ...waiting] };
}

export const usePhone = create<PhoneState>((set) => ({
  incoming: {},
  lookups: {},
  wrapUps: NO_WRAP_UPS,
  mainWrapUps: NO_WRAP_UPS,
  startingWrapUps: [],
  selectedLocationId: null,
  message: null,
  addIncoming: (call) =>
    set((s) => {
      // Keep the last few: screen pops are only needed while a call rings or is open.
      const entries = Object.entries({ ...s.incoming, [call.callId]: call }).slice(-20);
      return { incoming: Object.fromEntries(entries) };
    }),
  setLookup: (number, pop) => set((s) => ({ lookups: { ...s.lookups, [number]: pop } })),
  setWrapUps: (main) => set((s) => ({ mainWrapUps: main, wrapUps: withStarting(main, s.startingWrapUps) })),
  beginWrapUp: (wrapup) =>
    set((s) => {
      if (s.startingWrapUps.some((w) => w.twilioCallSid === wrapup.twilioCallSid)) return s;
      const startingWrapUps = [...s.startingWrapUps, wrapup];
      const staleLogged = s.message?.loggedFor !== undefined && s.message.loggedFor !== wrapup.twilioCallSid;
      return { startingWrapUps, wrapUps: withStarting(s.mainWrapUps, startingWrapUps), ...(staleLogged ? { message: null } : {}) };
    }),
  settleWrapUp: (twilioCallSid) =>
    set((s) => {
      const startingWrapUps = s.startingWrapUps.filter((w) => w.twilioCallSid !== twilioCallSid);
      return { startingWrapUps, wrapUps: withStarting(s.mainWrapUps, startingWrapUps) };
    }),
  selectLocation: (selectedLocationId) => set({ selectedLocationId }),
  say: (level, text, loggedFor) => {
    stopFade();
    const message = { level, text, ...(loggedFor ? { loggedFor } : {}) };
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
    set({ incoming: {}, lookups: {}, wrapUps: NO_WRAP_UPS, mainWrapUps: NO_WRAP_UPS, startingWrapUps: [], message: null });
  },
}));
