import { describe, expect, it } from 'vitest';
import { createKeytarVault, KeytarMissingError } from '../../session/credential-vault';
import { createBrowserHostPorts } from './host-ports';

describe('browser host ports without keytar (an optional dependency)', () => {
  it('a missing keytar is a KeytarMissingError that says how to fix it', async () => {
    const vault = createKeytarVault({ moduleId: 'keytar-is-not-installed-here' });
    await expect(vault.get('probe')).rejects.toBeInstanceOf(KeytarMissingError);
    await expect(vault.set('probe', 'x')).rejects.toThrow(/keytar, the module that reaches it, is not installed .*libsecret-1-dev/);
  });

  it('keeps the session in memory and says so in plain words', async () => {
    const { ports, notices } = await createBrowserHostPorts({ keychain: createKeytarVault({ moduleId: 'keytar-is-not-installed-here' }) });
    expect(notices).toEqual([
      {
        id: 'keychain-unavailable',
        level: 'warning',
        message: expect.stringMatching(/^The system keychain cannot be used: keytar.* Your sign-in is kept in memory only and ends when the host stops\.$/),
      },
    ]);
    await ports.vault.set('session:x', 'refresh-1');
    expect(await ports.vault.get('session:x')).toBe('refresh-1');
  });
});
