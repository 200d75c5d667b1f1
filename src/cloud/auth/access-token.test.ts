import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../keys/key-ring';
import { signAccessToken, verifyAccessToken } from './access-token';

const claims = { sub: 'usr_1', acc: 'acc_1', role: 'user' as const, sid: 'ses_1' };
const ringOf = (...ids: string[]) => new KeyRing(ids.map((id) => ({ id, secret: Buffer.alloc(32, id) })));
const lookup = (ring: KeyRing) => (kid: string | null) => (kid === null ? ring.key('jwt', 'legacy-db') : ring.key('jwt', kid));

describe('access tokens', () => {
  it('round-trips claims and names the key that signed them', () => {
    const ring = ringOf('k1');
    const token = signAccessToken(claims, ring.current('jwt'), 60);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    const result = verifyAccessToken(token, lookup(ring));
    expect(result.ok && result.claims.sub).toBe('usr_1');
  });
  it('rejects another key, tampering, expiry and another algorithm', () => {
    const ring = ringOf('k1');
    const token = signAccessToken(claims, ring.current('jwt'), 60, 1_000_000);
    expect(verifyAccessToken(token, lookup(ringOf('k2', 'k1x')), 1_000_000)).toEqual({ ok: false, reason: 'signature' });
    const [h, , sig] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin', exp: 9e9 })).toString('base64url')}.${sig}`;
    expect(verifyAccessToken(forged, lookup(ring), 1_000_000)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyAccessToken(token, lookup(ring), 1_000_000 + 61_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyAccessToken('nope', lookup(ring))).toEqual({ ok: false, reason: 'malformed' });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${token.split('.')[1]}.`;
    expect(verifyAccessToken(none, lookup(ring))).toEqual({ ok: false, reason: 'malformed' });
  });
  it('rotation: a token signed with the previous key verifies while the ring keeps that key, and not after', () => {
    const old = ringOf('k1');
    const token = signAccessToken(claims, old.current('jwt'), 60);
    const rotated = ringOf('k2', 'k1');
    expect(rotated.current('jwt').id).toBe('k2');
    expect(verifyAccessToken(token, lookup(rotated)).ok).toBe(true);
    expect(verifyAccessToken(token, lookup(ringOf('k2')))).toEqual({ ok: false, reason: 'signature' });
  });
  it('a token from before key ids verifies with the imported legacy key only', () => {
    const legacySecret = randomBytes(48).toString('base64url');
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...claims, iat: 1, exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    const token = `${header}.${body}.${createHmac('sha256', legacySecret).update(`${header}.${body}`).digest('base64url')}`;
    const ring = new KeyRing([{ id: 'k2', secret: randomBytes(32) }, { id: 'legacy-db', purposes: { jwt: Buffer.from(legacySecret, 'utf8') } }]);
    expect(verifyAccessToken(token, lookup(ring)).ok).toBe(true);
    expect(verifyAccessToken(token, lookup(ringOf('k2')))).toEqual({ ok: false, reason: 'signature' });
  });
});
