import { create } from 'zustand';
import type { Disposition } from '../../shared/cloud';
import type { DirectoryView } from '../../shared/ipc/views';

export interface DispositionLists {
  /** Offered on the picker, in admin order. */
  active: Disposition[];
  /** Deleted ones too, for filters over old calls. */
  all: Disposition[];
}

interface PracticeState {
  /** The account's people, teams, locations and phone numbers, from main's cache. */
  directory: DirectoryView | null;
  dispositions: DispositionLists | null;
  setDirectory(directory: DirectoryView): void;
  setDispositions(dispositions: DispositionLists): void;
}

/** What several screens share about the practice, refreshed from main's cache (see state-actions.ts). */
export const usePractice = create<PracticeState>((set) => ({
  directory: null,
  dispositions: null,
  setDirectory: (directory) => set({ directory }),
  setDispositions: (dispositions) => set({ dispositions }),
}));
