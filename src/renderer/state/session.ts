import { create } from 'zustand';
import type { AppInfo, SessionStateView } from '../../shared/ipc';

interface SessionState {
  session: SessionStateView | null;
  /** The host and the cloud this window talks to (demo practice or a real cloud). */
  appInfo?: AppInfo;
  /** A problem reaching the main process, shown instead of silently doing nothing. */
  bridgeError?: string;
  setSession(session: SessionStateView): void;
  setAppInfo(info: AppInfo): void;
  setBridgeError(message: string | undefined): void;
}

/** Who is signed in, and whether main can be reached at all. Read by every screen. */
export const useSession = create<SessionState>((set) => ({
  session: null,
  setSession: (session) => set({ session }),
  setAppInfo: (appInfo) => set({ appInfo }),
  setBridgeError: (bridgeError) => set({ bridgeError }),
}));

export const useIsAdmin = () => useSession((s) => s.session?.status === 'signed-in' && s.session.user.role === 'admin');

/** Whether someone is signed in, for a store subscription as for the hook below. */
export const isSignedIn = (state: Pick<SessionState, 'session'>): boolean => state.session?.status === 'signed-in';

export const useSignedIn = () => useSession(isSignedIn);

/** The signed-in user's id, or null. */
export const useMyUserId = () => useSession((s) => (s.session?.status === 'signed-in' ? s.session.user.id : null));
