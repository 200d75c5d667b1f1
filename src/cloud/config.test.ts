import { describe, expect, it } from 'vitest';
import { ConfigError, SANDBOX_TWILIO_CREDENTIALS, configFromEnv } from './config';

describe('configuration from the environment', () => {
  it('defaults to sandbox mode with PGlite', () => {
    const config = configFromEnv({});
    expect(config).toMatchObject({ sandbox: true, port: 8787, databaseUrl: undefined, twilio: { accountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid } });
  });
  it('reads PORT, DATABASE_URL, the public URL and real Twilio credentials', () => {
    const config = configFromEnv({
      PORT: '9000', DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', CLOUD_PUBLIC_URL: 'https://api.example.com',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x'.repeat(32), TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
      TWILIO_API_KEY_SECRET: 'y'.repeat(32), TWILIO_TWIML_APP_SID: `AP${'c'.repeat(32)}`, TWILIO_TOKEN_TTL_SECONDS: '600',
    });
    expect(config).toMatchObject({ port: 9000, sandbox: false, publicUrl: 'https://api.example.com', twilio: { accessTokenTtlSeconds: 600 } });
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
});
