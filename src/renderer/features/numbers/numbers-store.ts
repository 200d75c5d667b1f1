import { create } from 'zustand';
import type { DeletedNumber, NumberRequest } from '../../../shared/cloud/numbers';
import type { NumbersOverview } from '../../../shared/ipc/contract-numbers';

/** Which admin screen of Settings → Phone Numbers is open. */
export type NumbersScreen = { kind: 'list' } | { kind: 'buy' } | { kind: 'settings'; numberId: string } | { kind: 'deleted' } | { kind: 'staff' } | { kind: 'requests' };

interface NumbersState {
  /** The live numbers, the members, the locations and the price table (admins only); null until loaded. */
  overview: NumbersOverview | null;
  deleted: DeletedNumber[] | null;
  requests: NumberRequest[] | null;
  /** Why the last load failed (offline, refused), shown instead of an empty list. */
  loadError: string | null;
  screen: NumbersScreen;
  set(patch: Partial<Omit<NumbersState, 'set' | 'open'>>): void;
  open(screen: NumbersScreen): void;
}

/** The phone-number admin screens' state, filled by numbers-actions.ts. */
export const useNumbers = create<NumbersState>((set) => ({
  overview: null,
  deleted: null,
  requests: null,
  loadError: null,
  screen: { kind: 'list' },
  set: (patch) => set(patch),
  open: (screen) => set({ screen }),
}));
