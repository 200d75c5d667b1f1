import type { Session } from 'electron';

const normalizePem = (pem: string) => pem.replace(/\r/g, '').trim();

/**
 * In the embedded default the Twilio sandbox serves TLS with a CA generated at start. Trust exactly
 * that CA, and only for the sandbox's own loopback host:port; every other certificate goes through
 * Chromium's normal verification.
 */
export function trustSandboxCa(session: Session, caPem: string, edgeHost: string): void {
  const ca = normalizePem(caPem);
  const [host] = edgeHost.split(':');
  session.setCertificateVerifyProc((request, callback) => {
    const issuer = request.certificate.issuerCert;
    if (request.hostname === host && issuer && normalizePem(issuer.data) === ca) callback(0);
    else callback(-3);
  });
}
