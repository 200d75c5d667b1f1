import type { Notice } from '../../shared/ipc';
import { createMemoryVault, type CredentialVault } from './credential-vault';
import { createEncryptedFileVault, type SecretCipher } from './encrypted-file-vault';

export interface VaultChoiceInput {
  /** keytar (an optional dependency) can be loaded. */
  keytarInstalled: boolean;
  keytarVault: () => CredentialVault;
  /** Electron's safeStorage, once the app is ready; `backend` is Linux's (elsewhere: undefined). */
  safeStorage: (SecretCipher & { available: boolean; backend: string | undefined }) | undefined;
  /** Where the safeStorage-encrypted secrets go (in the user-data folder). */
  file: string;
}

/**
 * Where the app keeps the refresh token: the OS keychain through keytar; where keytar is not
 * installed, a file encrypted with safeStorage's OS-held key; where neither protects it (Linux's
 * "basic_text" backend has a built-in key), memory only, with a notice in plain words.
 */
export function chooseVault(input: VaultChoiceInput): { vault: CredentialVault; notice?: Notice } {
  if (input.keytarInstalled) return { vault: input.keytarVault() };
  const safe = input.safeStorage;
  if (safe?.available && safe.backend !== 'basic_text') return { vault: createEncryptedFileVault({ file: input.file, cipher: safe }) };
  return {
    vault: createMemoryVault(),
    notice: {
      id: 'keychain-unavailable',
      level: 'warning',
      message:
        'This computer has no keychain the softphone can use (keytar is not installed and no system keyring is running), so your sign-in is kept in memory only: you will sign in again after a restart.',
    },
  };
}
