import { describe, expect, it } from 'vitest';
import { productionEnv } from '../../test/support/cloud-env';
import { SANDBOX_SECRETS_KEY, configFromEnv, sandboxConfig } from './config';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = SecretBox.fromConfig({ secretsKey: Buffer.alloc(32, 7).toString('base64'), sandbox: false })!;

  it('round-trips a token bound to its context, and never stores it in the clear', () => {
    const sealed = box.seal('xoxb-secret-token', 'slack:acc:con:bot');
    expect(sealed).not.toContain('xoxb');
    expect(box.seal('xoxb-secret-token', 'slack:acc:con:bot')).not.toBe(sealed);
    expect(box.open(sealed, 'slack:acc:con:bot')).toBe('xoxb-secret-token');
  });

  it('refuses another row\'s context, another key, and a tampered value', () => {
    const sealed = box.seal('xoxb-secret-token', 'slack:acc:con:bot');
    expect(() => box.open(sealed, 'slack:other:con:bot')).toThrow();
    const other = SecretBox.fromConfig({ secretsKey: Buffer.alloc(32, 8).toString('base64'), sandbox: false })!;
    expect(() => other.open(sealed, 'slack:acc:con:bot')).toThrow();
    const parts = sealed.split(':');
    parts[3] = Buffer.from('xoxb-forged-tokenx').toString('base64url');
    expect(() => box.open(parts.join(':'), 'slack:acc:con:bot')).toThrow();
    expect(() => box.open('plain-text', 'slack:acc:con:bot')).toThrow(/not a sealed value/);
  });

  it('has no key outside sandbox mode unless one is configured; the published sandbox key is refused there', () => {
    expect(SecretBox.fromConfig({ sandbox: false })).toBeNull();
    expect(SecretBox.fromConfig(sandboxConfig())).not.toBeNull();
    const real = productionEnv();
    expect(() => configFromEnv({ ...real, CLOUD_SECRETS_KEY: SANDBOX_SECRETS_KEY })).toThrow(/CLOUD_SECRETS_KEY \(secretsKey\): is the sandbox's published key/);
    expect(() => configFromEnv({ ...real, CLOUD_SECRETS_KEY: 'short' })).toThrow(/CLOUD_SECRETS_KEY \(secretsKey\): must be 32 random bytes/);
    expect(configFromEnv({ ...real, CLOUD_SECRETS_KEY: Buffer.alloc(32, 1).toString('base64') }).secretsKey).toBeDefined();
    expect(() => configFromEnv({ ...real, SLACK_CLIENT_ID: 'id' })).toThrow(/SLACK_CLIENT_SECRET/);
  });
});
