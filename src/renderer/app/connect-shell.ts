import { connectAlerts } from '../features/alerts/alerts-actions';
import { connectNotices } from '../features/notices/notices-actions';
import { connectPhone } from '../features/phone/phone-runtime';
import { connectSyncStatus } from '../features/status/status-actions';
import { connectTasks } from '../features/tasks/tasks-actions';
import { connectSharedState } from '../state/state-actions';

/**
 * Connects the window to main: the phone follows the session from the start (its first requests
 * go out as soon as main says who is signed in), then the shared state and each feature that
 * follows main's events load what they show and subscribe. Resolves with the unsubscribe.
 */
export async function connectShell(): Promise<() => void> {
  const offPhone = connectPhone();
  const offs = await Promise.all([connectSharedState(), connectNotices(), connectSyncStatus(), connectAlerts(), connectTasks()]);
  return () => {
    for (const off of offs) off();
    offPhone();
  };
}
