import { join } from 'node:path';
import { safeStorage } from 'electron';
import { chooseVault } from '../../session/choose-vault';
import { createKeytarVault, keytarInstalled } from '../../session/credential-vault';

/** The app's vault (session/choose-vault.ts decides): keytar's Electron build, else safeStorage, else memory. */
export function createElectronVault(options: { userDataDir: string; keytarBinding: string | undefined }) {
  return chooseVault({
    // Installed means its Electron build exists (scripts/native-electron.mjs builds it only when keytar is installed).
    keytarInstalled: options.keytarBinding !== undefined && keytarInstalled({ bindingPath: options.keytarBinding }),
    keytarVault: () => createKeytarVault({ bindingPath: options.keytarBinding }),
    safeStorage: {
      available: safeStorage.isEncryptionAvailable(),
      backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
      encryptString: (plain) => safeStorage.encryptString(plain),
      decryptString: (encrypted) => safeStorage.decryptString(encrypted),
    },
    file: join(options.userDataDir, 'credentials.json'),
  });
}
