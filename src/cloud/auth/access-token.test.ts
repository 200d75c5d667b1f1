import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from './access-token';

const secret = 'x'.repeat(40);
const claims = { sub: 'usr_1', acc: 'acc_1', role: 'user' as const, sid: 'ses_1' };

describe('access tokens', () => {
  it('round-trips claims', () => {
    const token = signAccessToken(claims, secret, 60);
    const result = verifyAccessToken(token, secret);
    expect(result.ok && result.claims.sub).toBe('usr_1');
  });
  it('rejects another secret, tampering and expiry', () => {
    const token = signAccessToken(claims, secret, 60, 1_000_000);
    expect(verifyAccessToken(token, 'y'.repeat(40), 1_000_000)).toEqual({ ok: false, reason: 'signature' });
    const [h, , sig] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin', exp: 9e9 })).toString('base64url')}.${sig}`;
    expect(verifyAccessToken(forged, secret, 1_000_000)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyAccessToken(token, secret, 1_000_000 + 61_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAccessToken('nope', secret)).toEqual({ ok: false, reason: 'malformed' });
  });
});
