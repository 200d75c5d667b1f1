import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_TWILIO_ENV, TEST_CLOUD_KEYS, productionEnv } from '../../test/support/cloud-env';
import { ConfigError, SANDBOX_TWILIO_CREDENTIALS, aiSettingsFromEnv, configFromEnv, parseConfig, sandboxConfig } from './config';

/** The sandbox's published credentials, as someone might paste them into a production environment. */
const SANDBOX_ENV = {
  TWILIO_ACCOUNT_SID: SANDBOX_TWILIO_CREDENTIALS.accountSid,
  TWILIO_AUTH_TOKEN: SANDBOX_TWILIO_CREDENTIALS.authToken,
  TWILIO_API_KEY_SID: SANDBOX_TWILIO_CREDENTIALS.apiKeySid,
  TWILIO_API_KEY_SECRET: SANDBOX_TWILIO_CREDENTIALS.apiKeySecret,
  TWILIO_TWIML_APP_SID: SANDBOX_TWILIO_CREDENTIALS.twimlAppSid,
};

describe('configuration from the environment', () => {
  it('refuses to start without Twilio credentials unless sandbox mode is asked for, saying how to fix it', () => {
    let error: unknown;
    try {
      configFromEnv({});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('TWILIO_ACCOUNT_SID (twilio.accountSid)');
    expect((error as Error).message).toContain('CLOUD_SANDBOX=1');
    const config = configFromEnv({ CLOUD_SANDBOX: '1' });
    expect(config).toMatchObject({ sandbox: true, port: 8787, databaseUrl: undefined, twilio: { accountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid } });
  });
  it('never runs sandbox mode on a non-loopback address, nor the sandbox token outside it', () => {
    expect(() => configFromEnv({ CLOUD_SANDBOX: '1', HOST: '0.0.0.0' })).toThrow(/HOST \(host\): sandbox mode only listens on a loopback address/);
    expect(() => sandboxConfig({ host: '10.0.0.5' })).toThrow(ConfigError);
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(sandboxConfig({ host }).host).toBe(host);
    expect(() => configFromEnv({ ...SANDBOX_ENV })).toThrow(/TWILIO_AUTH_TOKEN \(twilio.authToken\): is the sandbox's published value/);
  });
  it('reads PORT, DATABASE_URL, the public URL and real Twilio credentials', () => {
    const config = configFromEnv({
      PORT: '9000', DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', CLOUD_PUBLIC_URL: 'https://api.example.com',
      ...productionEnv(), TWILIO_TOKEN_TTL_SECONDS: '600',
    });
    expect(config).toMatchObject({ port: 9000, sandbox: false, publicUrl: 'https://api.example.com', twilio: { accessTokenTtlSeconds: 600 } });
  });
  it('takes a DATABASE_URL that reaches PostgreSQL over its Unix socket (the host parameter names the socket folder)', () => {
    const databaseUrl = 'postgres://aesthetix@localhost/aesthetix?host=%2Fvar%2Frun%2Fpostgresql';
    expect(configFromEnv({ DATABASE_URL: databaseUrl, ...productionEnv() }).databaseUrl).toBe(databaseUrl);
  });
  it('explains every invalid or missing value, naming the variable', () => {
    let error: unknown;
    try {
      configFromEnv({ PORT: 'eighty', DATABASE_URL: 'not a url', CLOUD_SANDBOX: 'false' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT (port)');
    expect(message).toContain('DATABASE_URL (databaseUrl)');
    expect(message).toContain('TWILIO_ACCOUNT_SID (twilio.accountSid)');
    expect(message).toContain('TWILIO_AUTH_TOKEN (twilio.authToken)');
  });

  it('npm run cloud: a production start without Twilio credentials exits with a clear message instead of going sandbox', () => {
    const root = resolve(import.meta.dirname, '../..');
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cloud/cli.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
    const production = run({ PORT: '0', LOG_LEVEL: 'silent', CLOUD_DATA_DIR: 'memory://' });
    expect(production.status).toBe(2);
    expect(production.stderr).toContain('TWILIO_ACCOUNT_SID');
    expect(production.stderr).toContain('CLOUD_SANDBOX=1');
    const exposedSandbox = run({ PORT: '0', LOG_LEVEL: 'silent', CLOUD_DATA_DIR: 'memory://', CLOUD_SANDBOX: '1', HOST: '0.0.0.0' });
    expect(exposedSandbox.status).toBe(2);
    expect(exposedSandbox.stderr).toContain('sandbox mode only listens on a loopback address');
  }, 120_000);

  it('reads TRUST_PROXY (default: no proxy is trusted) and refuses a weak password hash cost in production', () => {
    const production = productionEnv();
    expect(configFromEnv(production).trustProxy).toEqual([]);
    expect(configFromEnv({ ...production, TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,loopback' }).trustProxy).toEqual(['10.0.0.1', '10.1.0.0/16', 'loopback']);
    expect(() => configFromEnv({ ...production, TRUST_PROXY: '10.0.0.1,*' })).toThrow(/TRUST_PROXY \(trustProxy.1\)/);
    expect(() => configFromEnv({ ...production, TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(configFromEnv(production).argon2).toEqual({ memoryCost: 19_456, timeCost: 2 });
    expect(() => parseConfig({ ...configFromEnv(production), argon2: { memoryCost: 4096, timeCost: 1 } })).toThrow(/OWASP/);
    expect(sandboxConfig({ argon2: { memoryCost: 1024, timeCost: 1 } }).argon2.memoryCost).toBe(1024);
  });

  it('reads LINK_CLICK_LIMIT and LINK_CLICK_WINDOW_SECONDS (tracked-link clicks per client address; default 60 a minute)', () => {
    const production = productionEnv();
    expect([configFromEnv(production).linkClickLimit, configFromEnv(production).linkClickWindowSeconds]).toEqual([60, 60]);
    const set = configFromEnv({ ...production, LINK_CLICK_LIMIT: '20', LINK_CLICK_WINDOW_SECONDS: '300' });
    expect([set.linkClickLimit, set.linkClickWindowSeconds]).toEqual([20, 300]);
    expect(() => configFromEnv({ ...production, LINK_CLICK_LIMIT: '0' })).toThrow(/LINK_CLICK_LIMIT \(linkClickLimit\)/);
    expect(() => configFromEnv({ ...production, LINK_CLICK_WINDOW_SECONDS: 'soon' })).toThrow(/LINK_CLICK_WINDOW_SECONDS/);
  });

  it("reads DNS_SERVERS and DNS_TIMEOUT_MS (sending domains' DNS checks; default: the system's resolvers)", () => {
    const production = productionEnv();
    expect(configFromEnv(production).dns).toEqual({ servers: [], timeoutMs: 5000, tries: 2 });
    expect(configFromEnv({ ...production, DNS_SERVERS: '1.1.1.1, 9.9.9.9:5353,[2606:4700::1111]:53,::1', DNS_TIMEOUT_MS: '2500' }).dns).toEqual({
      servers: ['1.1.1.1', '9.9.9.9:5353', '[2606:4700::1111]:53', '::1'], timeoutMs: 2500, tries: 2,
    });
    expect(() => configFromEnv({ ...production, DNS_SERVERS: '1.1.1.1,dns.google' })).toThrow(/DNS_SERVERS \(dns\.servers\.1\)/);
    expect(() => configFromEnv({ ...production, DNS_SERVERS: '1.1.1.1:0' })).toThrow(/DNS_SERVERS/);
    expect(() => configFromEnv({ ...production, DNS_TIMEOUT_MS: '50' })).toThrow(/DNS_TIMEOUT_MS/);
  });

  it('#7: outside sandbox mode the server keys must come from configuration; CLOUD_JWT_SECRET is gone', () => {
    const production = { ...FAKE_TWILIO_ENV };
    expect(() => configFromEnv(production)).toThrow(/CLOUD_KEYS \(keys\): server keys are required outside sandbox mode/);
    expect(configFromEnv({ ...production, CLOUD_KEYS_FILE: '/etc/aesthetix/keys.json' }).keysFile).toBe('/etc/aesthetix/keys.json');
    expect(() => configFromEnv({ ...production, CLOUD_KEYS: TEST_CLOUD_KEYS, CLOUD_KEYS_FILE: '/k.json' })).toThrow(/not both/);
    expect(() => configFromEnv({ ...production, CLOUD_KEYS: TEST_CLOUD_KEYS, CLOUD_JWT_SECRET: 'z'.repeat(40) })).toThrow(/CLOUD_JWT_SECRET: replaced by CLOUD_KEYS/);
  });
});

describe('the AI agents brain from the environment', () => {
  it('is none by default, openai when an endpoint is given, and refuses openai without one', () => {
    expect(configFromEnv(productionEnv()).ai.brain).toBe('none');
    const ai = configFromEnv(productionEnv({ AI_BASE_URL: 'https://llm.example/v1', AI_MODEL: 'gpt-4o-mini', AI_API_KEY: 'sk-x' })).ai;
    expect(ai).toMatchObject({ brain: 'openai', baseUrl: 'https://llm.example/v1', model: 'gpt-4o-mini', apiKey: 'sk-x', timeoutMs: 20_000 });
    expect(configFromEnv(productionEnv({ AI_BRAIN: 'scripted' })).ai.brain).toBe('scripted');
    expect(() => configFromEnv(productionEnv({ AI_BRAIN: 'openai' }))).toThrow(/AI_BASE_URL/);
    expect(() => configFromEnv(productionEnv({ AI_BRAIN: 'magic' }))).toThrow(/AI_BRAIN/);
  });

  it('is read the same way for the embedded default, whose unset brain is the scripted agent', () => {
    expect(aiSettingsFromEnv({}, 'scripted')).toEqual({ brain: 'scripted', timeoutMs: 20_000 });
    expect(aiSettingsFromEnv({ AI_BASE_URL: 'http://127.0.0.1:9/v1', AI_MODEL: 'local', AI_API_KEY: 'sk-local', AI_TIMEOUT_MS: '3000' }, 'scripted'))
      .toEqual({ brain: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: 'local', apiKey: 'sk-local', timeoutMs: 3000 });
    expect(aiSettingsFromEnv({ AI_BRAIN: 'none' }, 'scripted').brain).toBe('none');
    expect(() => aiSettingsFromEnv({ AI_BASE_URL: 'http://127.0.0.1:9/v1' }, 'scripted')).toThrow(/AI_BASE_URL \(ai.baseUrl\): the openai brain needs AI_BASE_URL and AI_MODEL/);
    expect(() => aiSettingsFromEnv({ AI_BASE_URL: 'not a url', AI_MODEL: 'm' })).toThrow(/AI_BASE_URL/);
    expect(() => aiSettingsFromEnv({ AI_BASE_URL: 'http://127.0.0.1:9/v1', AI_MODEL: 'm', AI_TIMEOUT_MS: '10' })).toThrow(/AI_TIMEOUT_MS/);
  });
});
