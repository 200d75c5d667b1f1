import { getBridge } from '../bridge';
import { useCacheVersions } from './cache-versions';
import { useNavigation, viewForRedirect } from './navigation';
import { usePractice } from './practice';
import { useSession } from './session';

/** Cache entities the directory and the dispositions are built from. */
const PRACTICE_ENTITIES = new Set(['users', 'teams', 'locations', 'phoneNumbers', 'accounts', 'dispositions']);

/** Refreshes the directory and the dispositions from main's cache (when someone is signed in). */
export async function refreshPractice(): Promise<void> {
  if (useSession.getState().session?.status !== 'signed-in') return;
  const bridge = getBridge();
  const [directory, dispositions] = await Promise.all([bridge.directory.get(), bridge.dispositions.list()]);
  if (directory.ok) usePractice.getState().setDirectory(directory.value);
  if (dispositions.ok) usePractice.getState().setDispositions(dispositions.value);
}

/** Loads the shared state and follows main's events for it. Resolves with the unsubscribe. */
export async function connectSharedState(): Promise<() => void> {
  const bridge = getBridge();
  const offs = [
    bridge.on('session.changed', (session) => {
      useSession.getState().setSession(session);
      void refreshPractice();
    }),
    bridge.on('cache.changed', ({ entities }) => {
      useCacheVersions.getState().bump(entities);
      if (entities.some((e) => PRACTICE_ENTITIES.has(e))) void refreshPractice();
    }),
    bridge.on('dialer.prefill', ({ number }) => useNavigation.getState().prefillDialer(number)),
    bridge.on('navigate.to', ({ redirect }) => {
      useNavigation.getState().setView(viewForRedirect(redirect));
      useNavigation.getState().focus(redirect);
    }),
  ];
  const [info, session] = await Promise.all([bridge.app.getInfo(), bridge.session.getState()]);
  if (info.ok) useSession.getState().setAppInfo(info.value);
  else useSession.getState().setBridgeError(info.error.message);
  if (session.ok) useSession.getState().setSession(session.value);
  await refreshPractice();
  return () => {
    for (const off of offs) off();
  };
}
