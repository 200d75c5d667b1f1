import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCertificates, loadCertificates, readCachedCertificates } from './certificates';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox certificate cache', () => {
  const file = join(dir, 'sandbox-tls.json');

  it('makes a pair once, writes it readable by its owner only, and reuses it while good', async () => {
    const made = await loadCertificates(file);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new X509Certificate(made.certPem).checkIssued(new X509Certificate(made.caPem))).toBe(true);
    expect(await loadCertificates(file)).toEqual(made);
  });

  it('caches the pair in a folder that does not exist yet (the embedded default’s first start: the database makes it meanwhile)', async () => {
    const later = join(dir, 'not-yet', 'embedded', 'sandbox-tls.json');
    const made = await loadCertificates(later);
    if (process.platform !== 'win32') expect(statSync(join(dir, 'not-yet', 'embedded')).mode & 0o777).toBe(0o700);
    expect(readCachedCertificates(later)).toEqual(made);
  });

  it('makes a new pair when the cached one is near expiry, for other host names, or readable by others', () => {
    const soon = Date.now() + 29 * 24 * 3600 * 1000;
    expect(readCachedCertificates(file)).toBeDefined();
    expect(readCachedCertificates(file, [], soon)).toBeUndefined();
    expect(readCachedCertificates(file, ['edge.example.test'])).toBeUndefined();
    if (process.platform !== 'win32') {
      chmodSync(file, 0o644);
      expect(readCachedCertificates(file)).toBeUndefined();
      chmodSync(file, 0o600);
    }
  });

  it('makes a new pair when the file is damaged or its key is not the certificate’s', async () => {
    const good = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const other = await createCertificates();
    writeFileSync(file, JSON.stringify({ ...good, keyPem: other.keyPem }), { mode: 0o600 });
    expect(readCachedCertificates(file)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...good, certPem: other.certPem }), { mode: 0o600 });
    expect(readCachedCertificates(file)).toBeUndefined(); // not signed by the cached CA
    writeFileSync(file, JSON.stringify({ ...good, keyPem: 42 }), { mode: 0o600 });
    expect(readCachedCertificates(file)).toBeUndefined(); // a field of the wrong type
    writeFileSync(file, JSON.stringify({ ...good, hostnames: (good.hostnames as string[]).join(',') }), { mode: 0o600 });
    expect(readCachedCertificates(file)).toBeUndefined(); // names not a list
    writeFileSync(file, '{"caPem": "-----BEGIN CERT', { mode: 0o600 });
    expect(readCachedCertificates(file)).toBeUndefined();
    const remade = await loadCertificates(file);
    expect(remade.caPem).not.toBe(good.caPem);
    expect(readCachedCertificates(file)).toEqual(remade);
  });

  it('makes a pair every time without a cache file', async () => {
    const a = await loadCertificates(undefined);
    const b = await loadCertificates(undefined);
    expect(a.caPem).not.toBe(b.caPem);
  });
});
