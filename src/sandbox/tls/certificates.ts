// A throwaway CA and a leaf certificate for the edge, made at start. Clients trust exactly the
// CA (its PEM is exposed), never "any certificate", except browsers in tests that ignore errors.
import { generate } from 'selfsigned';
import { TWILIO_HOSTNAMES } from './twilio-hostnames';

export interface SandboxCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}


export async function createCertificates(extraHostnames: string[] = []): Promise<SandboxCertificates> {
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600 * 1000);
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
          { type: 2, value: 'localhost' },
          // Every Twilio name a client reaches by default, so a host-resolver mapping also passes name checks.
          ...[...TWILIO_HOSTNAMES, '*.twilio.com', ...extraHostnames].map((value) => ({ type: 2 as const, value })),
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: leaf.cert, keyPem: leaf.private };
}
