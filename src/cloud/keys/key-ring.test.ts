import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyFileError, parseKeyFile, parseKeyList, readKeyFile, serializeKeyFile, writeKeyFile } from './key-file';
import { KEY_PURPOSES, KeyRing, generateKeyEntry } from './key-ring';

describe('key ring', () => {
  it('derives one key per purpose from the current master; the first entry with a secret signs', () => {
    const a = generateKeyEntry();
    const b = { id: 'older', secret: Buffer.alloc(32, 7) };
    const ring = new KeyRing([a, b]);
    const keys = KEY_PURPOSES.map((p) => ring.current(p).key.toString('hex'));
    expect(new Set(keys).size).toBe(KEY_PURPOSES.length);
    expect(ring.current('jwt').id).toBe(a.id);
    expect(ring.key('jwt', 'older')).toEqual(new KeyRing([b]).current('jwt').key);
    expect(ring.all('cursor').map((k) => k.id)).toEqual([a.id, 'older']);
    expect(ring.key('jwt', 'gone')).toBeUndefined();
  });
  it('imported legacy entries only verify: they are never current, and only have the purposes they came with', () => {
    const ring = new KeyRing([{ id: 'legacy-db', purposes: { jwt: Buffer.from('x') } }, { id: 'k1', secret: Buffer.alloc(32, 1) }]);
    expect(ring.current('jwt').id).toBe('k1');
    expect(ring.key('jwt', 'legacy-db')).toEqual(Buffer.from('x'));
    expect(ring.key('twofa-totp', 'legacy-db')).toBeUndefined();
    expect(() => new KeyRing([{ id: 'legacy-db', purposes: { jwt: Buffer.from('x') } }])).toThrow(/current key/);
  });
  it('refuses short secrets, odd ids and duplicates', () => {
    expect(() => new KeyRing([{ id: 'k', secret: Buffer.alloc(16) }])).toThrow(/32 bytes/);
    expect(() => new KeyRing([{ id: 'k.1', secret: Buffer.alloc(32) }])).toThrow(/letters/);
    expect(() => new KeyRing([{ id: 'k', secret: Buffer.alloc(32) }, { id: 'k', secret: Buffer.alloc(32) }])).toThrow(/twice/);
  });
});

describe('key files and CLOUD_KEYS', () => {
  it('round-trips, with mode 0600, and refuses a file others can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keys-'));
    try {
      const file = join(dir, 'keys.json');
      const entries = [generateKeyEntry(), { id: 'legacy-db', purposes: { jwt: Buffer.from('old-secret') } }];
      await writeKeyFile(file, entries);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readKeyFile(file)).toEqual(entries);
      expect(await readKeyFile(join(dir, 'missing.json'))).toBeUndefined();
      await writeFile(join(dir, 'open.json'), serializeKeyFile(entries), { mode: 0o644 });
      await expect(readKeyFile(join(dir, 'open.json'))).rejects.toThrow(/chmod 600/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('explains what is wrong with a bad file or list', () => {
    expect(() => parseKeyFile('{', 'f')).toThrow(KeyFileError);
    expect(() => parseKeyFile(JSON.stringify({ keys: [{ id: 'k1', secret: 'c2hvcnQ' }] }), 'f')).toThrow(/at least 32 bytes/);
    expect(() => parseKeyFile(JSON.stringify({ keys: [] }), 'f')).toThrow(KeyFileError);
    expect(parseKeyList(`k2:${Buffer.alloc(32, 2).toString('base64url')}, k1:${Buffer.alloc(32, 1).toString('base64url')}`).map((e) => e.id)).toEqual(['k2', 'k1']);
    expect(() => parseKeyList('k2')).toThrow(/id:base64url/);
  });
});
