// A throwaway CA and a leaf certificate for the edge. Clients trust exactly the CA (its PEM is
// exposed), never "any certificate", except browsers in tests that ignore errors. Made at start, or
// reused from a cache file (the embedded default's user-data folder) while still good.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { TWILIO_HOSTNAMES } from './twilio-hostnames';

export interface SandboxCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const VALID_DAYS = 30;
/** A cached pair this close to expiry is replaced, so a long-running sandbox never outlives it. */
const RENEW_BEFORE_MS = 2 * 24 * 3600 * 1000;

/** The cache file's shape: the pair plus the names the leaf was made for. */
const CachedCertificates = z.object({
  caPem: z.string(),
  certPem: z.string(),
  keyPem: z.string(),
  hostnames: z.array(z.string()),
});

/** Every DNS name the leaf carries, in order: the cache is only reused for exactly these. */
function leafHostnames(extraHostnames: string[]): string[] {
  return ['localhost', ...TWILIO_HOSTNAMES, '*.twilio.com', ...extraHostnames];
}

export async function createCertificates(extraHostnames: string[] = []): Promise<SandboxCertificates> {
  // Loaded only when a pair is made: selfsigned and its X.509 library cost ~0.5 s of CPU to load.
  const { generate } = await import('selfsigned');
  const notAfterDate = new Date(Date.now() + VALID_DAYS * 24 * 3600 * 1000);
  const ca = await generate([{ name: 'commonName', value: 'Aesthetix Twilio Sandbox CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          // Every Twilio name a client reaches by default, so a host-resolver mapping also passes name checks.
          ...leafHostnames(extraHostnames).map((value) => ({ type: 2 as const, value })),
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: leaf.cert, keyPem: leaf.private };
}

/**
 * The cached pair if it is whole and still good for these names: the leaf is signed by the CA,
 * the key is the leaf's, both are valid now and for a while yet, the leaf names exactly what is
 * asked, and the file is readable by its owner only. Anything else: undefined (made anew).
 */
export function readCachedCertificates(file: string, extraHostnames: string[] = [], now = Date.now()): SandboxCertificates | undefined {
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return undefined;
    const parsed = CachedCertificates.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return undefined;
    const cached = parsed.data;
    const wanted = leafHostnames(extraHostnames);
    if (cached.hostnames.join('\n') !== wanted.join('\n')) return undefined;
    const ca = new X509Certificate(cached.caPem);
    const leaf = new X509Certificate(cached.certPem);
    const sans = new Set((leaf.subjectAltName ?? '').split(', '));
    if (!wanted.every((name) => sans.has(`DNS:${name}`))) return undefined;
    if (!ca.ca || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return undefined;
    for (const cert of [ca, leaf]) {
      if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) - RENEW_BEFORE_MS < now) return undefined;
    }
    const keyDer = createPublicKey(createPrivateKey(cached.keyPem)).export({ type: 'spki', format: 'der' });
    if (!keyDer.equals(leaf.publicKey.export({ type: 'spki', format: 'der' }))) return undefined;
    return { caPem: cached.caPem, certPem: cached.certPem, keyPem: cached.keyPem };
  } catch {
    return undefined; // missing, unreadable or damaged
  }
}

/**
 * The sandbox's pair, reused from `cacheFile` while good (saves ~0.5–1 s of CPU on every start),
 * else made and written there as a file only its owner can read (the private key is in it).
 * Without a cache file, made every time.
 */
export async function loadCertificates(cacheFile: string | undefined, extraHostnames: string[] = []): Promise<SandboxCertificates> {
  const cached = cacheFile ? readCachedCertificates(cacheFile, extraHostnames) : undefined;
  if (cached) return cached;
  const made = await createCertificates(extraHostnames);
  if (cacheFile) {
    const partial = `${cacheFile}.${process.pid}.tmp`;
    try {
      // Its folder may not exist yet: the embedded default's first start makes the pair while the
      // database, which creates that folder, is still opening. The pair was then made again at the next start.
      mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
      writeFileSync(partial, JSON.stringify({ ...made, hostnames: leafHostnames(extraHostnames) }), { mode: 0o600 });
      chmodSync(partial, 0o600); // a file left from an earlier attempt keeps its old mode otherwise
      renameSync(partial, cacheFile);
    } catch {
      // Not cached: the next start makes a pair again, nothing else is lost.
      rmSync(partial, { force: true });
    }
  }
  return made;
}
