import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEncryptedFileVault, type SecretCipher } from './encrypted-file-vault';

/** A stand-in for safeStorage: reversible, and visibly not the plain text. */
const cipher = (key: number): SecretCipher => ({
  encryptString: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ key)),
  decryptString: (encrypted) => {
    if (encrypted[0] === undefined) throw new Error('empty');
    const plain = Buffer.from([...encrypted].map((b) => b ^ key)).toString('utf8');
    if (!plain.startsWith('refresh')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString');
    return plain;
  },
});

describe('encrypted file vault (Electron without keytar)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const setup = (key = 0x5a) => {
    dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const file = join(dir, 'credentials.json');
    return { file, vault: createEncryptedFileVault({ file, cipher: cipher(key) }) };
  };

  it('stores, replaces and deletes secrets, encrypted, in a file only its owner can read', async () => {
    const { file, vault } = setup();
    expect(await vault.get('session:a')).toBeNull();
    await vault.set('session:a', 'refresh-1');
    await vault.set('session:b', 'refresh-b');
    await vault.set('session:a', 'refresh-2');
    expect(await vault.get('session:a')).toBe('refresh-2');
    expect(await vault.get('session:b')).toBe('refresh-b');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('refresh');
    expect(await vault.delete('session:a')).toBe(true);
    expect(await vault.delete('session:a')).toBe(false);
    expect(await vault.get('session:a')).toBeNull();
    expect(await vault.get('session:b')).toBe('refresh-b');
  });

  it('treats a damaged file, or a secret another OS key encrypted, as nothing stored', async () => {
    const { file, vault } = setup();
    writeFileSync(file, '{not json');
    expect(await vault.get('session:a')).toBeNull();
    await vault.set('session:a', 'refresh-1');
    const other = createEncryptedFileVault({ file, cipher: cipher(0x21) });
    expect(await other.get('session:a')).toBeNull();
    writeFileSync(file, JSON.stringify({ 'session:a': 42 }));
    expect(await vault.get('session:a')).toBeNull();
  });
});
