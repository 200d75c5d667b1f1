import { IpcFailure } from '../../../shared/ipc';
import type { HotkeyCommand } from '../../os/hotkeys';
import type { NamespaceHandlers } from '../router';

/** What the E2E suite may do to a running app (only when NODE_ENV=test). */
export interface TestHooks {
  /** What a global hotkey press does. */
  pressHotkey(command: HotkeyCommand): void;
  /** Cut or restore the cloud, as a dropped network would. */
  setCloudReachable(reachable: boolean): void;
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
