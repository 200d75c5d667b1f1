import { describe, expect, it } from 'vitest';
import type { VoiceTokenView } from '../../shared/ipc';
import type { PrefetchedVoice } from './engine-ports';
import { FakeBridge } from './testing/fake-bridge';
import { ManualClock } from '../../shared/testing/manual-clock';
import { isTokenError, TOKEN_MARGIN_MS, TokenSource, usableToken } from './token-source';

function rig(prefetched?: (bridge: FakeBridge) => PrefetchedVoice) {
  const clock = new ManualClock();
  const bridge = new FakeBridge(() => clock.now());
  const failures: string[] = [];
  const arrived: VoiceTokenView[] = [];
  const tokens = new TokenSource({ bridge: bridge.voice, clock, onFailed: (m) => failures.push(m), onToken: (t) => arrived.push(t) }, prefetched?.(bridge));
  return { clock, bridge, tokens, failures, arrived };
}

describe('usableToken', () => {
  const token = (expiresAt: number): VoiceTokenView => ({ token: 'jwt', identity: 'me', expiresAt });
  it('keeps a token with more than the margin left, and only then', () => {
    expect(usableToken(null, 0)).toBeNull();
    expect(usableToken(token(TOKEN_MARGIN_MS + 1), 0)).not.toBeNull();
    expect(usableToken(token(TOKEN_MARGIN_MS), 0)).toBeNull();
  });
});

describe('isTokenError', () => {
  it('knows the edge codes for a bad or expired token', () => {
    expect([20101, 20104, 31201, 31204, 31205].every(isTokenError)).toBe(true);
    expect(isTokenError(31005)).toBe(false);
    expect(isTokenError(null)).toBe(false);
  });
});

describe('TokenSource', () => {
  it('asks main once while the token is good, again when it is about to expire', async () => {
    const r = rig();
    expect((await r.tokens.fresh()).token).toBe('jwt-1');
    expect((await r.tokens.fresh()).token).toBe('jwt-1');
    expect(r.bridge.tokenRequests).toBe(1);
    r.bridge.tokenResult = { ok: true, value: r.bridge.nextToken() };
    r.clock.advance(3_600_000 - TOKEN_MARGIN_MS);
    expect((await r.tokens.fresh()).token).toBe('jwt-2');
    expect(r.bridge.tokenRequests).toBe(2);
  });

  it('says why there is no token: signed out, or main refused', async () => {
    const r = rig();
    r.bridge.tokenResult = { ok: true, value: null };
    await expect(r.tokens.fresh()).rejects.toThrow('Not signed in: no phone token');
    r.bridge.tokenResult = { ok: false, error: { code: 'UNAVAILABLE', message: 'cloud down' } };
    await expect(r.tokens.fresh()).rejects.toThrow('No phone token: cloud down');
    expect(r.failures).toEqual(['Not signed in: no phone token', 'No phone token: cloud down']);
  });

  it('a pushed token replaces the cached one and is announced', async () => {
    const r = rig();
    await r.tokens.fresh();
    const pushed = r.bridge.nextToken();
    r.tokens.accept(pushed);
    expect(r.arrived).toEqual([pushed]);
    expect(await r.tokens.fresh()).toBe(pushed);
  });

  it('replace() drops a refused token and fetches another; a failed refresh is reported', async () => {
    const r = rig();
    await r.tokens.fresh();
    r.bridge.tokenResult = { ok: true, value: r.bridge.nextToken() };
    await r.tokens.replace();
    expect(r.arrived.map((t) => t.token)).toEqual(['jwt-2']);
    r.bridge.tokenResult = { ok: true, value: null };
    await r.tokens.refresh();
    expect(r.failures).toEqual(['Not signed in: no phone token']);
    expect((await r.tokens.fresh()).token).toBe('jwt-2');
  });

  it('fetches the configuration once and fails plainly without one', async () => {
    const r = rig();
    expect(await r.tokens.getConfig()).toEqual(r.bridge.config);
    r.bridge.config = { edge: 'twilio', chunderw: null, eventgw: null };
    expect((await r.tokens.getConfig()).edge).toBe('sandbox');
    const bad = rig();
    bad.bridge.voice.getConfig = async () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'no cloud' } });
    await expect(bad.tokens.getConfig()).rejects.toThrow('No voice configuration: no cloud');
  });

  it('uses what main already sent (prefetched) without asking again, while the token is fresh', async () => {
    let configAsked = 0;
    const r = rig((bridge) => ({ config: { ...bridge.config, chunderw: '127.0.0.1:9' }, token: { token: 'jwt-early', identity: 'user_reception', expiresAt: Date.parse('2026-11-21T10:00:00Z') } }));
    r.bridge.voice.getConfig = async () => ({ ok: true, value: (configAsked++, r.bridge.config) });
    expect((await r.tokens.getConfig()).chunderw).toBe('127.0.0.1:9');
    expect((await r.tokens.fresh()).token).toBe('jwt-early');
    expect(configAsked).toBe(0);
    expect(r.bridge.tokenRequests).toBe(0);
    // Once it is about to expire, main is asked as for any cached token.
    r.clock.advance(3_600_000 - TOKEN_MARGIN_MS);
    r.bridge.tokenResult = { ok: true, value: r.bridge.nextToken() };
    expect((await r.tokens.fresh()).token).toBe('jwt-2');
    expect(r.bridge.tokenRequests).toBe(1);
  });
});
