import Conf from 'conf';
import type { Notice } from '../../../shared/ipc';
import type { CorePorts } from '../../core';
import { createDriftWake } from '../../os/drift-wake';
import { createKeytarVault, createMemoryVault, type CredentialVault } from '../../session/credential-vault';
import type { JsonStoreClass } from '../../settings/settings-file';

/**
 * The browser host's ports: the same keychain and settings file as the app, no tray, no global
 * shortcuts (the page's own keys still work), no OS notifications (alerts show in the page).
 */
export async function createBrowserHostPorts(options: { keychain?: CredentialVault } = {}): Promise<{ ports: CorePorts; notices: Notice[] }> {
  const notices: Notice[] = [];
  // keytar is optional: where it is not installed, the probe fails with KeytarMissingError's plain words.
  let vault: CredentialVault = options.keychain ?? createKeytarVault();
  try {
    await vault.get('probe');
  } catch (error) {
    vault = createMemoryVault();
    notices.push({
      id: 'keychain-unavailable',
      level: 'warning',
      // The cause's own words (KeytarMissingError / VaultUnavailableError say what is wrong and the fix), then what it means here.
      message: `${(error as Error).message} Your sign-in is kept in memory only and ends when the host stops.`,
    });
  }
  return {
    notices,
    ports: {
      vault,
      settingsStore: Conf as unknown as JsonStoreClass,
      notifications: { supported: false, show: () => undefined, close: () => undefined },
      hotkeys: { supported: false, register: () => false, unregister: () => undefined },
      loginItem: { supported: false, set: () => undefined },
      power: createDriftWake(),
    },
  };
}
