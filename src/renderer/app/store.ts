import { create } from 'zustand';
import type { AppInfo, Notice, SessionStateView } from '../../shared/ipc';
import type { SyncStatus } from '../../shared/ipc/sync-status';
import type { DirectoryView } from '../../shared/ipc/views';
import type { Disposition } from '../../shared/cloud';

export type View = 'phone' | 'history' | 'contacts' | 'alerts' | 'settings' | 'profile' | 'admin';

export const VIEWS: ReadonlyArray<{ id: View; label: string; adminOnly?: boolean }> = [
  { id: 'phone', label: 'Phone' },
  { id: 'history', label: 'History' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'settings', label: 'Settings' },
  { id: 'profile', label: 'My profile' },
  { id: 'admin', label: 'Dispositions', adminOnly: true },
];

interface ShellState {
  view: View;
  appInfo?: AppInfo;
  notices: Notice[];
  /** A problem reaching the main process, shown instead of silently doing nothing. */
  bridgeError?: string;
  dialerPrefill?: { number: string; at: number };
  session: SessionStateView | null;
  sync: SyncStatus | null;
  directory: DirectoryView | null;
  dispositions: { active: Disposition[]; all: Disposition[] } | null;
  unreadAlerts: number;
  /** Bumped per entity when main's cache changes: views that read it fetch again. */
  cacheVersions: Record<string, number>;
  /** A redirect target from a clicked alert (call:<id>, contact:<id>, alerts). */
  focusTarget: string | null;
  setView(view: View): void;
  setAppInfo(info: AppInfo): void;
  addNotice(notice: Notice): void;
  setNotices(notices: Notice[]): void;
  removeNotice(id: string): void;
  setBridgeError(message: string | undefined): void;
  prefillDialer(number: string): void;
  setSession(session: SessionStateView): void;
  setSync(sync: SyncStatus): void;
  setDirectory(directory: DirectoryView): void;
  setDispositions(dispositions: { active: Disposition[]; all: Disposition[] }): void;
  setUnreadAlerts(count: number): void;
  bumpCache(entities: string[]): void;
  focus(target: string | null): void;
}

export const useShell = create<ShellState>((set) => ({
  view: 'phone',
  notices: [],
  session: null,
  sync: null,
  directory: null,
  dispositions: null,
  unreadAlerts: 0,
  cacheVersions: {},
  focusTarget: null,
  setView: (view) => set({ view }),
  setAppInfo: (appInfo) => set({ appInfo }),
  addNotice: (notice) => set((s) => ({ notices: [...s.notices.filter((n) => n.id !== notice.id), notice] })),
  setNotices: (notices) => set({ notices }),
  removeNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  setBridgeError: (bridgeError) => set({ bridgeError }),
  prefillDialer: (number) => set({ dialerPrefill: { number, at: Date.now() }, view: 'phone' }),
  setSession: (session) => set({ session }),
  setSync: (sync) => set({ sync }),
  setDirectory: (directory) => set({ directory }),
  setDispositions: (dispositions) => set({ dispositions }),
  setUnreadAlerts: (unreadAlerts) => set({ unreadAlerts }),
  bumpCache: (entities) =>
    set((s) => {
      const cacheVersions = { ...s.cacheVersions };
      for (const entity of entities) cacheVersions[entity] = (cacheVersions[entity] ?? 0) + 1;
      return { cacheVersions };
    }),
  focus: (focusTarget) => set({ focusTarget }),
}));

/** The version of one cached entity: use it as an effect dependency to refetch when it changes. */
export const useCacheVersion = (entity: string) => useShell((s) => s.cacheVersions[entity] ?? 0);

export const useIsAdmin = () => useShell((s) => s.session?.status === 'signed-in' && s.session.user.role === 'admin');
