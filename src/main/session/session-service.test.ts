import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/testing/manual-clock';
import { createFakeCloud, demoUser } from '../testing/fake-cloud';
import { createMemoryVault } from './credential-vault';
import { SessionService } from './session-service';

function setup() {
  const cloud = createFakeCloud();
  const vault = createMemoryVault();
  const clock = new ManualClock();
  const session = new SessionService({ cloud: cloud.api, vault, clock, deviceName: 'Front desk' });
  return { cloud, vault, clock, session };
}

describe('SessionService', () => {
  it('signs in, keeps the refresh token only in the vault, and serves the access token from memory', async () => {
    const { session, vault, cloud } = setup();
    const states: string[] = [];
    session.onChange((s) => states.push(s.status));
    expect(await session.signIn('front@glow.example', 'correct horse')).toEqual(demoUser);
    expect(states).toEqual(['signing-in', 'signed-in']);
    expect([...vault.entries.values()][0]).toContain(cloud.liveRefreshToken);
    expect(await session.getAccessToken()).toBe('access-1');
    expect(cloud.calls).toEqual(['login']);
  });

  it('signs in with a session issued in this process (the embedded demo): no password sent, kept in the vault and refreshed like any other', async () => {
    const { session, vault, cloud, clock } = setup();
    const issuedFor: string[] = [];
    const issue = (deviceName: string) => {
      issuedFor.push(deviceName);
      return cloud.api.login({ email: 'front@glow.example', password: 'correct horse', deviceName });
    };
    expect(await session.signInIssued(issue)).toEqual(demoUser);
    expect(issuedFor).toEqual(['Front desk']);
    expect([...vault.entries.values()][0]).toContain(cloud.liveRefreshToken);
    await clock.advanceAsync(850_000);
    expect(await session.getAccessToken()).toBe('access-2');
    await expect(session.signInIssued(async () => Promise.reject(new Error('The demo practice has no receptionist')))).rejects.toThrow(/no receptionist/);
    expect(session.state).toEqual({ status: 'signed-out', reason: 'The demo practice has no receptionist' });
  });

  it('reports a wrong password and stays signed out with the reason', async () => {
    const { session, vault } = setup();
    await expect(session.signIn('front@glow.example', 'nope')).rejects.toThrow(/Wrong email or password/);
    expect(session.state).toEqual({ status: 'signed-out', reason: 'Wrong email or password.' });
    expect(vault.entries.size).toBe(0);
  });

  it('refreshes once for many concurrent callers when the access token nears expiry, rotating the vault entry', async () => {
    const { session, clock, cloud, vault } = setup();
    await session.signIn('front@glow.example', 'correct horse');
    await clock.advanceAsync(850_000);
    const tokens = await Promise.all([session.getAccessToken(), session.getAccessToken(), session.getAccessToken()]);
    expect(tokens).toEqual(['access-2', 'access-2', 'access-2']);
    expect(cloud.calls.filter((c) => c === 'refresh')).toHaveLength(1);
    expect([...vault.entries.values()][0]).toContain(cloud.liveRefreshToken);
  });

  it('restores a session from the vault after a restart', async () => {
    const { session, vault, cloud, clock } = setup();
    await session.signIn('front@glow.example', 'correct horse');
    const restarted = new SessionService({ cloud: cloud.api, vault, clock, deviceName: 'Front desk' });
    expect(await restarted.restore()).toBe('resumed');
    expect(restarted.user?.email).toBe('front@glow.example');
  });

  it('signs out and clears the vault when the refresh token was already spent (session revoked)', async () => {
    const { session, vault, cloud, clock } = setup();
    await session.signIn('front@glow.example', 'correct horse');
    const stale = [...vault.entries.values()][0]!;
    await clock.advanceAsync(850_000);
    await session.getAccessToken(); // rotates: the stored token is now spent
    vault.entries.set([...vault.entries.keys()][0]!, stale); // e.g. a restored backup of the keychain
    const other = new SessionService({ cloud: cloud.api, vault, clock, deviceName: 'Front desk' });
    expect(await other.restore()).toBe(false);
    expect(other.state).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(/revoked/) });
    expect(vault.entries.size).toBe(0);
  });

  it('ignores a garbled vault entry instead of crashing', async () => {
    const { session, vault } = setup();
    await vault.set('session:http://127.0.0.1:9', '{not json');
    expect(await session.restore()).toBe(false);
    expect(vault.entries.size).toBe(0);
  });

  it('signs out: tells the cloud, forgets the tokens', async () => {
    const { session, vault, cloud } = setup();
    await session.signIn('front@glow.example', 'correct horse');
    await session.signOut();
    expect(cloud.calls).toContain('logout');
    expect(vault.entries.size).toBe(0);
    expect(session.state.status).toBe('signed-out');
  });

  it('B6: its own sign-out is not reported as "signed out from another session", even when the revoke echo comes first or after', async () => {
    const { session, cloud } = setup();
    await session.signIn('front@glow.example', 'correct horse');
    // The cloud pushes `session-revoked` while our logout request is still in flight …
    const logout = cloud.api.logout;
    cloud.api.logout = async (token) => {
      await session.endedElsewhere();
      return logout(token);
    };
    await session.signOut();
    // … and once more after it finished.
    await session.endedElsewhere();
    expect(session.state).toEqual({ status: 'signed-out' });
    expect(cloud.calls.filter((c) => c === 'logout')).toHaveLength(1);
  });

  it('a session ended elsewhere signs this device out with that reason', async () => {
    const { session, vault } = setup();
    await session.signIn('front@glow.example', 'correct horse');
    await session.endedElsewhere();
    expect(session.state).toEqual({ status: 'signed-out', reason: 'This device was signed out from another session. Please sign in again.' });
    expect(vault.entries.size).toBe(0);
  });
});
