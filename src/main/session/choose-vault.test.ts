import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseVault } from './choose-vault';
import { createMemoryVault } from './credential-vault';

const xor = { encryptString: (s: string) => Buffer.from([...Buffer.from(s, 'utf8')].map((b) => b ^ 7)), decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 7)).toString('utf8') };

describe('chooseVault (Electron)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const file = () => join(dirs[dirs.push(mkdtempSync(join(tmpdir(), 'choose-vault-'))) - 1]!, 'credentials.json');

  it('uses keytar when it is installed', () => {
    const keytar = createMemoryVault();
    expect(chooseVault({ keytarInstalled: true, keytarVault: () => keytar, safeStorage: undefined, file: file() })).toEqual({ vault: keytar });
  });

  it('without keytar, keeps the session in a file encrypted by safeStorage', async () => {
    const chosen = chooseVault({ keytarInstalled: false, keytarVault: () => { throw new Error('not loaded'); }, safeStorage: { ...xor, available: true, backend: 'gnome_libsecret' }, file: file() });
    expect(chosen.notice).toBeUndefined();
    await chosen.vault.set('session:x', 'refresh-1');
    expect(await chosen.vault.get('session:x')).toBe('refresh-1');
  });

  it('never trusts the built-in-key backend or an unavailable safeStorage: memory, and a notice in plain words', () => {
    for (const safeStorage of [{ ...xor, available: true, backend: 'basic_text' }, { ...xor, available: false, backend: undefined }, undefined]) {
      const chosen = chooseVault({ keytarInstalled: false, keytarVault: () => { throw new Error('not loaded'); }, safeStorage, file: file() });
      expect(chosen.notice).toMatchObject({ id: 'keychain-unavailable', level: 'warning' });
      expect(chosen.notice?.message).toMatch(/kept in memory only/);
    }
  });
});
