import Conf from 'conf';
import type { CorePorts } from '../../src/main/core';
import type { HostPort } from '../../src/main/hosts/host-port';
import { createMemoryVault } from '../../src/main/session/credential-vault';
import type { JsonStoreClass } from '../../src/main/settings/settings-file';

/** Ports for a core under test: a memory keychain, the real settings file, no OS integrations. */
export function testCorePorts(): CorePorts {
  return {
    vault: createMemoryVault(),
    settingsStore: Conf as unknown as JsonStoreClass,
    notifications: { supported: false, show: () => undefined, close: () => undefined },
    hotkeys: { supported: false, register: () => false, unregister: () => undefined },
    loginItem: { supported: false, set: () => undefined },
    power: { onWake: () => () => undefined },
  };
}

/** A host with no window, as the browser host under test. */
export const testHost: HostPort = { kind: 'browser', showWindow: () => false, isWindowVisible: () => true, openExternal: async () => false, quit: () => undefined };
