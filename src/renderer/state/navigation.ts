import { create } from 'zustand';
import { leaveEdits } from './unsaved-changes';

/** The sections of the window (the shell draws them as tabs: app/sections.ts). */
export type View = 'phone' | 'tasks' | 'history' | 'contacts' | 'alerts' | 'reports' | 'settings' | 'profile' | 'numbers' | 'teams' | 'admin' | 'automation' | 'agents' | 'demo-inbox';

interface NavigationState {
  view: View;
  /** A number to put in the dialer (a "Call" button, or main's `dialer.prefill`); `at` makes a repeat count. */
  dialerPrefill?: { number: string; at: number; fromNumberId?: string | null; taskId?: string | null };
  /** A redirect target from a clicked alert (call:<id>, contact:<id>, task:<id>, alerts). */
  focusTarget: string | null;
  /** The window is wide enough that the phone stays docked beside every section (the shell decides). */
  phoneDocked: boolean;
  /** A page of Settings asked for by another screen (`email`: Email sending); Settings opens it and clears this. */
  settingsPage: string | null;
  /** Goes to `view`; from an editor with unsaved edits, once the person has answered the warning (unsaved-changes.ts). */
  setView(view: View): void;
  /**
   * Shows the phone at once, without the unsaved-changes warning: an answered call must be on screen
   * (the editor keeps its unsaved edits in its store for when the person comes back).
   */
  showPhone(): void;
  /** Opens Settings at one of the admin's pages (the builder's "Open Settings → Email sending"), as `setView` leaves the screen. */
  openSettings(page: string): void;
  /** Opens the phone with `number` in the dialer (and, for a task, the caller ID its workflow chose and the task the call is for). */
  prefillDialer(number: string, fromNumberId?: string | null, taskId?: string | null): void;
  focus(target: string | null): void;
}

/** Where the receptionist is in the window. Any screen may send them elsewhere. */
export const useNavigation = create<NavigationState>((set, get) => ({
  view: 'phone',
  focusTarget: null,
  phoneDocked: false,
  settingsPage: null,
  setView: (view) => {
    if (view !== get().view) leaveEdits(() => set({ view }));
  },
  showPhone: () => set({ view: 'phone' }),
  openSettings: (settingsPage) => leaveEdits(() => set({ view: 'settings', settingsPage })),
  prefillDialer: (number, fromNumberId, taskId) =>
    leaveEdits(() => set({ dialerPrefill: { number, at: Date.now(), fromNumberId: fromNumberId ?? null, taskId: taskId ?? null }, view: 'phone' })),
  focus: (focusTarget) => set({ focusTarget }),
}));

const REDIRECT_VIEWS: Record<string, View> = { call: 'history', contact: 'contacts', task: 'tasks', alerts: 'alerts' };

/** The section an alert's redirect (call:<id>, contact:<id>, task:<id>, alerts) opens. Pure. */
export const viewForRedirect = (redirect: string | null): View => REDIRECT_VIEWS[redirect?.split(':')[0] ?? 'alerts'] ?? 'alerts';
