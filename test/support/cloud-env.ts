/**
 * The environment of a cloud outside sandbox mode, for configuration tests: well-formed (fake) Twilio
 * credentials and, unless left out, one server key.
 */
export const TEST_CLOUD_KEYS = `k1:${Buffer.alloc(32, 1).toString('base64url')}`;

export const FAKE_TWILIO_ENV = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'x'.repeat(32),
  TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'y'.repeat(32),
  TWILIO_TWIML_APP_SID: `AP${'c'.repeat(32)}`,
} as const;

export const productionEnv = (extra: Record<string, string> = {}): Record<string, string> => ({ ...FAKE_TWILIO_ENV, CLOUD_KEYS: TEST_CLOUD_KEYS, ...extra });
