import { createRequire } from 'node:module';

/**
 * Where the refresh token lives: the OS keychain in the app (keytar), memory in unit tests.
 * Only main ever reads it; it never crosses the bridge.
 */
export interface CredentialVault {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const VAULT_SERVICE = 'Aesthetix Softphone';

interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export class VaultUnavailableError extends Error {
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `The system keychain is not available (${detail}). On Linux, a Secret Service such as gnome-keyring must be running and unlocked.`,
    );
    this.name = 'VaultUnavailableError';
  }
}

/** keytar is an optional dependency: it builds only where libsecret's headers are installed. */
export class KeytarMissingError extends VaultUnavailableError {
  constructor() {
    super(new Error('keytar is not installed'));
    this.message =
      'The system keychain cannot be used: keytar, the module that reaches it, is not installed (it builds only where libsecret is: ' +
      '`sudo apt-get install libsecret-1-dev`, then `npm install`).';
    this.name = 'KeytarMissingError';
  }
}

const isModuleMissing = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'MODULE_NOT_FOUND';

/** Whether keytar (or its build at `bindingPath`) can be loaded here, without loading it. */
export function keytarInstalled(options: { bindingPath?: string | undefined } = {}): boolean {
  const require = createRequire(import.meta.url);
  try {
    require.resolve(options.bindingPath ?? 'keytar');
    return true;
  } catch {
    return false;
  }
}

/**
 * keytar behind the vault interface (`moduleId`: another name, for tests of a missing keytar), loaded on first use (it is an optional dependency: missing, each
 * call fails with KeytarMissingError, and the hosts choose another vault). Under Electron `bindingPath` names the Electron build of
 * keytar.node (src/main/hosts/electron/native-bindings.ts); its functions are exactly keytar's JavaScript API.
 */
export function createKeytarVault(options: { service?: string; bindingPath?: string | undefined; moduleId?: string } = {}): CredentialVault {
  const service = options.service ?? VAULT_SERVICE;
  const require = createRequire(import.meta.url);
  let api: KeytarApi | undefined;
  const keytar = (): KeytarApi => (api ??= (options.bindingPath ? require(options.bindingPath) : require(options.moduleId ?? 'keytar')) as KeytarApi);
  const guard = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      if (!options.bindingPath && isModuleMissing(error)) throw new KeytarMissingError();
      throw new VaultUnavailableError(error);
    }
  };
  return {
    get: (account) => guard(() => keytar().getPassword(service, account)),
    set: (account, secret) => guard(() => keytar().setPassword(service, account, secret)),
    delete: (account) => guard(() => keytar().deletePassword(service, account)),
  };
}

export function createMemoryVault(): CredentialVault & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => {
      entries.set(account, secret);
    },
    delete: async (account) => entries.delete(account),
  };
}
