import { create } from 'zustand';
import type { AppInfo, Notice } from '../../shared/ipc';

export type View = 'phone' | 'history' | 'contacts' | 'alerts' | 'settings';

export const VIEWS: ReadonlyArray<{ id: View; label: string }> = [
  { id: 'phone', label: 'Phone' },
  { id: 'history', label: 'History' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'settings', label: 'Settings' },
];

interface ShellState {
  view: View;
  appInfo?: AppInfo;
  notices: Notice[];
  /** A problem reaching the main process, shown instead of silently doing nothing. */
  bridgeError?: string;
  dialerPrefill?: string;
  setView(view: View): void;
  setAppInfo(info: AppInfo): void;
  addNotice(notice: Notice): void;
  setNotices(notices: Notice[]): void;
  removeNotice(id: string): void;
  setBridgeError(message: string | undefined): void;
  prefillDialer(number: string): void;
}

export const useShell = create<ShellState>((set) => ({
  view: 'phone',
  notices: [],
  setView: (view) => set({ view }),
  setAppInfo: (appInfo) => set({ appInfo }),
  addNotice: (notice) => set((s) => ({ notices: [...s.notices.filter((n) => n.id !== notice.id), notice] })),
  setNotices: (notices) => set({ notices }),
  removeNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  setBridgeError: (bridgeError) => set({ bridgeError }),
  prefillDialer: (dialerPrefill) => set({ dialerPrefill, view: 'phone' }),
}));
