import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../config';
import { generateBackupCode, generateCode, hashCode, normaliseBackupCode, sameHash, seal, unseal } from './codes';
import { generateTotpSecret, matchTotpStep, totpCodeAt, totpStep, totpUri } from './totp';

describe('one-time codes', () => {
  it('are 6 digits, leading zeros kept, spread over the whole range', () => {
    const codes = Array.from({ length: 5000 }, generateCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(4900);
    const firstDigits = new Set(codes.map((c) => c[0]));
    expect(firstDigits.size).toBe(10); // includes '0'
  });
  it('are stored as keyed, salted hashes', () => {
    const key = randomBytes(32);
    const h = hashCode(key, 'tfc_a', '123456');
    expect(h).not.toContain('123456');
    expect(sameHash(h, hashCode(key, 'tfc_a', '123456'))).toBe(true);
    expect(hashCode(key, 'tfc_b', '123456')).not.toBe(h);
    expect(hashCode(randomBytes(32), 'tfc_a', '123456')).not.toBe(h);
    expect(sameHash(h, h.slice(1))).toBe(false);
  });
  it('backup codes are readable and normalised before hashing', () => {
    const code = generateBackupCode();
    expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(normaliseBackupCode(` ${code.toUpperCase()} `)).toBe(code.replace('-', ''));
  });
  it('TOTP secrets are sealed with AES-GCM and tampering is detected', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 'JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(unseal(key, sealed)).toBe('JBSWY3DPEHPK3PXP');
    const [iv, tag, body] = sealed.split('.');
    expect(() => unseal(key, [iv, tag, body!.slice(0, -2) + 'AA'].join('.'))).toThrow();
    expect(() => unseal(randomBytes(32), sealed)).toThrow();
  });
});

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 appendix B: secret "12345678901234567890" (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ), T=59 s → 94287082 (8 digits) → 287082.
    expect(totpCodeAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
  });
  it('accepts ±1 step and reports which step matched', () => {
    const secret = generateTotpSecret();
    const now = Date.parse('2025-03-03T09:00:10Z');
    const step = totpStep(now);
    expect(matchTotpStep(secret, totpCodeAt(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCodeAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCodeAt(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCodeAt(secret, now - 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, totpCodeAt(secret, now + 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });
  it('builds the otpauth URI the QR code carries', () => {
    expect(totpUri('JBSWY3DPEHPK3PXP', 'jordan@glowmedspa.example')).toBe(
      'otpauth://totp/Aesthetix:jordan%40glowmedspa.example?secret=JBSWY3DPEHPK3PXP&period=30&digits=6&algorithm=SHA1&issuer=Aesthetix',
    );
  });
});

describe('delivery configuration', () => {
  // Sandbox mode so that these cases need no Twilio credentials; delivery settings are read the same way in both modes.
  const SANDBOX = { CLOUD_SANDBOX: '1' };
  it('reads SMTP and the SMS sender from the environment', () => {
    const config = configFromEnv({ ...SANDBOX, SMTP_HOST: 'smtp.example.com', SMTP_PORT: '465', SMTP_SECURE: 'true', SMTP_USER: 'u', SMTP_PASS: 'p', MAIL_FROM: 'Aesthetix <a@b.c>', TWILIO_SMS_FROM: '+14155550100' });
    expect(config.twoFactor).toEqual({ smtp: { host: 'smtp.example.com', port: 465, secure: true, user: 'u', pass: 'p', allowPlaintext: false }, mailFrom: 'Aesthetix <a@b.c>', smsFrom: '+14155550100' });
  });
  it('has no SMTP by default (email not offered) and names bad variables', () => {
    expect(configFromEnv(SANDBOX).twoFactor.smtp).toBeUndefined();
    expect(() => configFromEnv({ ...SANDBOX, SMTP_HOST: 'x', SMTP_PORT: 'abc' })).toThrow(/SMTP_PORT/);
    expect(() => configFromEnv({ ...SANDBOX, TWILIO_SMS_FROM: '555' })).toThrow(/TWILIO_SMS_FROM/);
  });
});
