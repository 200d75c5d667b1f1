import { create } from 'zustand';
import type { Notice } from '../../../shared/ipc';

interface NoticesState {
  notices: Notice[];
  add(notice: Notice): void;
  setAll(notices: Notice[]): void;
  remove(id: string): void;
}

/** Main's notices (a sync problem, an update, …) until the receptionist dismisses them. */
export const useNotices = create<NoticesState>((set) => ({
  notices: [],
  add: (notice) => set((s) => ({ notices: [...s.notices.filter((n) => n.id !== notice.id), notice] })),
  setAll: (notices) => set({ notices }),
  remove: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
