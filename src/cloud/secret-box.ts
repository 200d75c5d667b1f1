import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SANDBOX_SECRETS_KEY, type CloudConfig } from './config';

/**
 * Encrypts integration tokens (Slack) at rest with AES-256-GCM under a key that is not in the
 * database (CLOUD_SECRETS_KEY). Each value is bound to where it is stored (`context`, e.g.
 * `slack:<account>:<connection>:bot`): a ciphertext copied to another row does not decrypt.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromConfig(config: Pick<CloudConfig, 'secretsKey' | 'sandbox'>): SecretBox | null {
    const encoded = config.secretsKey ?? (config.sandbox ? SANDBOX_SECRETS_KEY : undefined);
    return encoded ? new SecretBox(Buffer.from(encoded, 'base64')) : null;
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /** Throws when the value was sealed under another key or context, or altered. */
  open(sealed: string, context: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** Said when a server without CLOUD_SECRETS_KEY is asked to keep a token. */
export const NO_SECRETS_KEY =
  'This server has no CLOUD_SECRETS_KEY, so it cannot keep an integration token safely. Set it (32 random bytes, base64: openssl rand -base64 32) and restart.';
