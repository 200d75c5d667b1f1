import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../os/private-file';
import { z } from 'zod';
import { VaultUnavailableError, type CredentialVault } from './credential-vault';

/** What encrypts the secrets: Electron's `safeStorage` (the OS's key: Keychain, DPAPI, libsecret/kwallet). */
export interface SecretCipher {
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const fileSchema = z.record(z.string().max(512), z.string().max(64 * 1024));

/**
 * The vault where keytar is not installed (Electron): each secret encrypted with the OS-held key of
 * `safeStorage`, in one JSON file readable by its owner only (0600, replaced atomically, never
 * written through a planted link). A file that cannot be read or decrypted counts as empty: the
 * receptionist signs in again, nothing crashes.
 */
export function createEncryptedFileVault(options: { file: string; cipher: SecretCipher }): CredentialVault {
  const read = (): Record<string, string> => {
    let raw: string;
    try {
      raw = readFileSync(options.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = fileSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  };
  const write = (entries: Record<string, string>): void => writePrivateFile(options.file, JSON.stringify(entries));
  const guard = async <T>(operation: () => T): Promise<T> => {
    try {
      return operation();
    } catch (error) {
      throw new VaultUnavailableError(error);
    }
  };
  return {
    get: (account) =>
      guard(() => {
        const stored = read()[account];
        if (stored === undefined) return null;
        try {
          return options.cipher.decryptString(Buffer.from(stored, 'base64'));
        } catch {
          return null; // encrypted under another OS key (a copied profile): sign in again
        }
      }),
    set: (account, secret) =>
      guard(() => {
        write({ ...read(), [account]: options.cipher.encryptString(secret).toString('base64') });
      }),
    delete: (account) =>
      guard(() => {
        const entries = read();
        if (!(account in entries)) return false;
        delete entries[account];
        write(entries);
        return true;
      }),
  };
}
