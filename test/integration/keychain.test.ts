import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeytarVault, VaultUnavailableError } from '../../src/main/session/credential-vault';

/**
 * Runs against the real OS keychain: `npm test` wraps vitest in scripts/with-keyring.sh (a private
 * D-Bus session with an unlocked gnome-keyring). Outside it there is no Secret Service to test.
 */
const hasKeyring = process.env.SOFTPHONE_KEYRING_READY === '1';

describe.skipIf(!hasKeyring && !process.env.CI)('keytar vault on a real gnome-keyring', () => {
  const vault = createKeytarVault({ service: `softphone-test-${randomUUID()}` });

  it('stores, reads, replaces and deletes a refresh token', async () => {
    const account = `receptionist@example.test#${randomUUID()}`;
    expect(await vault.get(account)).toBeNull();
    await vault.set(account, 'refresh-1');
    expect(await vault.get(account)).toBe('refresh-1');
    await vault.set(account, 'refresh-2');
    expect(await vault.get(account)).toBe('refresh-2');
    expect(await vault.delete(account)).toBe(true);
    expect(await vault.get(account)).toBeNull();
    expect(await vault.delete(account)).toBe(false);
  });

  it('keeps secrets of different accounts apart', async () => {
    const a = `a-${randomUUID()}`;
    const b = `b-${randomUUID()}`;
    await vault.set(a, 'secret-a');
    await vault.set(b, 'secret-b');
    expect([await vault.get(a), await vault.get(b)]).toEqual(['secret-a', 'secret-b']);
    await Promise.all([vault.delete(a), vault.delete(b)]);
  });
});

describe('keytar vault without a keychain', () => {
  it('fails with a clear VaultUnavailableError, not a crash', async () => {
    const vault = createKeytarVault({ bindingPath: '/nonexistent/keytar.node' });
    await expect(vault.get('x')).rejects.toBeInstanceOf(VaultUnavailableError);
    await expect(vault.get('x')).rejects.toThrow(/system keychain is not available/);
  });
});
