import { create } from 'zustand';
import type { IncomingCall } from '../../../shared/cloud';
import type { ScreenPopView, WrapupView } from '../../../shared/ipc/views';

/** A disposition picked but not yet sent: the 5-second undo window. */
export interface PendingChoice {
  twilioCallSid: string;
  dispositionId: string;
  deadline: number;
}

interface PhoneState {
  /** Screen-pop data the cloud pushed for ringing calls, by the cloud's call id. */
  incoming: Record<string, IncomingCall>;
  /** Local-cache lookups by caller number: contact, assigned user, last call. null = unknown caller. */
  lookups: Record<string, ScreenPopView | null>;
  /** Calls waiting for a disposition (from main: they survive a crash or reload). */
  wrapups: WrapupView[];
  pendingChoice: PendingChoice | null;
  /** The location the receptionist works in; dispositions apply only to its calls. */
  selectedLocationId: string | null;
  /** The last thing that went wrong with a phone action, in words. */
  message: { level: 'error' | 'info'; text: string } | null;
  addIncoming(call: IncomingCall): void;
  setLookup(number: string, pop: ScreenPopView | null): void;
  setWrapups(wrapups: WrapupView[]): void;
  setPendingChoice(choice: PendingChoice | null): void;
  selectLocation(id: string | null): void;
  say(level: 'error' | 'info', text: string): void;
  clearMessage(): void;
}

export const usePhone = create<PhoneState>((set) => ({
  incoming: {},
  lookups: {},
  wrapups: [],
  pendingChoice: null,
  selectedLocationId: null,
  message: null,
  addIncoming: (call) =>
    set((s) => {
      // Keep the last few: screen pops are only needed while a call rings or is open.
      const entries = Object.entries({ ...s.incoming, [call.callId]: call }).slice(-20);
      return { incoming: Object.fromEntries(entries) };
    }),
  setLookup: (number, pop) => set((s) => ({ lookups: { ...s.lookups, [number]: pop } })),
  setWrapups: (wrapups) => set({ wrapups }),
  setPendingChoice: (pendingChoice) => set({ pendingChoice }),
  selectLocation: (selectedLocationId) => set({ selectedLocationId }),
  say: (level, text) => set({ message: { level, text } }),
  clearMessage: () => set({ message: null }),
}));
