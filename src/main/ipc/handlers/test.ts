import { IpcFailure, TEST_HOOKS_BUILT_IN } from '../../../shared/ipc';
import type { CloudLink } from '../../cloud-client/cloud-link';
import type { HotkeyCommand } from '../../os/hotkeys';
import type { RealtimeClient } from '../../sync/realtime-client';
import type { SyncEngine } from '../../sync/sync-engine';
import type { NamespaceHandlers } from '../router';

/** What the E2E suite may do to a running app (only when NODE_ENV=test). */
export interface TestHooks {
  /** What a global hotkey press does. */
  pressHotkey(command: HotkeyCommand): void;
  /** Cut or restore the cloud, as a dropped network would. */
  setCloudReachable(reachable: boolean): void;
}

/** The hooks, wired to the running services: only in a test build run with NODE_ENV=test, else none. */
export function createTestHooks(deps: {
  env: Readonly<Record<string, string | undefined>>;
  pressHotkey: (command: HotkeyCommand) => void;
  cloudLink: CloudLink;
  realtime: Pick<RealtimeClient, 'reconnectNow'>;
  sync: Pick<SyncEngine, 'kick'>;
}): TestHooks | undefined {
  if (!TEST_HOOKS_BUILT_IN || deps.env.NODE_ENV !== 'test') return undefined;
  return {
    pressHotkey: deps.pressHotkey,
    setCloudReachable: (reachable) => {
      deps.cloudLink.setReachable(reachable);
      deps.realtime.reconnectNow();
      deps.sync.kick();
    },
  };
}

export function testHandlers(hooks: TestHooks | undefined): NamespaceHandlers<'test'> {
  const enabled = (): TestHooks => {
    if (!hooks) throw new IpcFailure('NOT_AVAILABLE', 'Test hooks exist only when NODE_ENV=test.');
    return hooks;
  };
  return {
    'test.pressHotkey': (command) => {
      enabled().pressHotkey(command);
      return { pressed: true };
    },
    'test.setCloudReachable': ({ reachable }) => {
      enabled().setCloudReachable(reachable);
      return { reachable };
    },
  };
}
