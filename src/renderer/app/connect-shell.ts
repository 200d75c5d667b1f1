import { connectAlerts } from '../features/alerts/alerts-actions';
import { connectNotices } from '../features/notices/notices-actions';
import { connectPhone } from '../features/phone/phone-runtime';
import { connectSyncStatus } from '../features/status/status-actions';
import { connectTasks } from '../features/tasks/tasks-actions';
import { guardKeptCallPolicyEdits } from '../features/settings/call-policy-store';
import { connectQuitGuard } from '../state/quit-actions';
import { connectSharedState } from '../state/state-actions';

/**
 * Connects the window to main. The phone first: its config and token are the first requests, and
 * when someone is signed in it registers before the rest of the window loads (for at most
 * PHONE_FIRST_MS), because every answer the rest gets re-renders the screen, and the phone's
 * signalling events would wait behind those renders (issue #21). Then the shared state and each
 * feature that follows main's events load what they show and subscribe. Resolves with the unsubscribe.
 */
export async function connectShell(): Promise<() => void> {
  const phone = connectPhone();
  // Main knows what is unsaved from the start (a quit then never waits on the window), whatever the phone does.
  const quitGuard = [guardKeptCallPolicyEdits(), connectQuitGuard()];
  await phone.firstRegistration;
  const offs = [...quitGuard, ...(await Promise.all([connectSharedState(), connectNotices(), connectSyncStatus(), connectAlerts(), connectTasks()]))];
  return () => {
    for (const off of offs) off();
    phone.off();
  };
}
