import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { VERIFICATION_PREFIX } from './domain-name';

/**
 * The two TXT records the cloud issues for a sending domain: the verification record (an
 * unguessable token per connection, so a record one practice published never verifies another's)
 * and the DKIM record (a 2048-bit RSA key of this connection's own, under a selector of its own,
 * so two practices sending from one domain never overwrite each other's key).
 */

export interface IssuedRecords {
  verificationToken: string;
  dkimSelector: string;
  /** base64 of the public key's SubjectPublicKeyInfo (DER): the DKIM record's p=. */
  dkimPublicKey: string;
  /** PKCS#8 PEM: sealed before it is stored (secret-box.ts), handed to nodemailer to sign. */
  dkimPrivateKeyPem: string;
}

const generateRsa = promisify(generateKeyPair);

/** New records for a connection (the key is generated on libuv's thread pool: a moment, not on the event loop). */
export async function issueRecords(): Promise<IssuedRecords> {
  const { publicKey, privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    verificationToken: randomBytes(32).toString('base64url'),
    dkimSelector: `ax${randomBytes(5).toString('hex')}`,
    dkimPublicKey: (publicKey as Buffer).toString('base64'),
    dkimPrivateKeyPem: privateKey as string,
  };
}

export interface RecordSpec {
  purpose: 'verification' | 'dkim';
  name: string;
  value: string;
}

/** What to publish for a domain, in the order the admin sees them. */
export function recordsFor(domain: string, issued: Pick<IssuedRecords, 'verificationToken' | 'dkimSelector' | 'dkimPublicKey'>): RecordSpec[] {
  return [
    { purpose: 'verification', name: `${VERIFICATION_PREFIX}.${domain}`, value: `aesthetix-verification=${issued.verificationToken}` },
    { purpose: 'dkim', name: `${issued.dkimSelector}._domainkey.${domain}`, value: `v=DKIM1; k=rsa; p=${issued.dkimPublicKey}` },
  ];
}

/** Where a sealed DKIM key is bound (the secret box's context): a ciphertext copied to another row does not open. */
export const dkimKeyContext = (accountId: string, domainId: string): string => `sending-domain:${accountId}:${domainId}:dkim`;
