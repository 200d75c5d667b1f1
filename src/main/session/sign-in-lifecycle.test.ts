import { describe, expect, it } from 'vitest';
import type { User } from '../../shared/cloud';
import type { SessionState } from './session-service';
import { followSignIn, resumeSession } from './sign-in-lifecycle';

const user = (id: string) => ({ id }) as User;

describe('sign-in lifecycle', () => {
  it('clears another user’s cached data, starts the services on sign-in and stops them on sign-out', () => {
    const seen: string[] = [];
    let listener: (state: SessionState) => void = () => undefined;
    let cachedUser: User | null = user('usr_old');
    followSignIn({
      session: { onChange: (l) => ((listener = l), () => undefined) },
      cloud: 'https://cloud.example',
      cache: {
        session: { owner: () => (cachedUser ? { userId: cachedUser.id, cloud: 'https://cloud.example' } : null), setUser: (u: User) => void (cachedUser = u) },
        clearUserData: () => void seen.push('clear'),
      } as never,
      sync: { start: () => seen.push('sync'), stop: async () => void seen.push('sync stop') },
      realtime: { start: () => seen.push('realtime'), stop: () => seen.push('realtime stop') },
      voiceTokens: { start: async () => void seen.push('token'), stop: () => seen.push('token stop') } as never,
      onSessionChanged: (view) => seen.push(`view ${view.status}`),
      onSignedIn: () => seen.push('signed in'),
    });
    listener({ status: 'signed-in', user: user('usr_new'), sessionId: 's1' } as SessionState);
    listener({ status: 'signed-out' } as SessionState);
    // The token first: "Ready for calls" waits for it, not for the pull or the realtime socket.
    expect(seen).toEqual(['view signed-in', 'clear', 'token', 'sync', 'realtime', 'signed in', 'view signed-out', 'sync stop', 'realtime stop', 'token stop']);
    expect(cachedUser).toEqual(user('usr_new'));
  });

  it('clears the cache when the same user id signs in to another cloud, not when they sign in again to theirs', () => {
    const cleared: string[] = [];
    let listener: (state: SessionState) => void = () => undefined;
    let owner = { userId: 'usr_1', cloud: 'https://cloud.example' as string | null };
    const follow = (cloud: string) =>
      followSignIn({
        session: { onChange: (l) => ((listener = l), () => undefined) },
        cloud,
        cache: {
          session: { owner: () => owner, setUser: (u: User, o: { cloud: string }) => void (owner = { userId: u.id, cloud: o.cloud }) },
          clearUserData: () => void cleared.push(cloud),
        } as never,
        sync: { start: () => undefined, stop: async () => undefined },
        realtime: { start: () => undefined, stop: () => undefined },
        voiceTokens: { start: async () => undefined, stop: () => undefined } as never,
        onSessionChanged: () => undefined,
        onSignedIn: () => undefined,
      });
    follow('https://cloud.example');
    listener({ status: 'signed-in', user: user('usr_1'), sessionId: 's1' } as SessionState);
    expect(cleared).toEqual([]);
    follow('embedded');
    listener({ status: 'signed-in', user: user('usr_1'), sessionId: 's2' } as SessionState);
    expect(cleared).toEqual(['embedded']);
    expect(owner).toEqual({ userId: 'usr_1', cloud: 'embedded' });
  });

  it('signs the demo receptionist in when nothing was restored, and says so when it cannot', async () => {
    const issuers: unknown[] = [];
    const quiet = { notify: () => undefined, log: () => undefined };
    const demoSignIn = async () => Promise.reject(new Error('issued by the embedded cloud'));
    expect(await resumeSession({ session: { restore: async () => false, signInIssued: async (issue: unknown) => void issuers.push(issue) } as never, demoSignIn, ...quiet })).toBe('online');
    expect(issuers).toEqual([demoSignIn]);
    const notices: string[] = [];
    expect(await resumeSession({ session: { restore: async () => Promise.reject(new Error('keychain locked')), signInIssued: async () => undefined } as never, demoSignIn: undefined, notify: (n) => notices.push(n.message), log: () => undefined })).toBe('signed-out');
    expect(notices).toEqual(['Could not sign in automatically: keychain locked']);
  });

  it('says whether the resumed session reached the cloud (the start waits for the first phone token only then)', async () => {
    const quiet = { demoSignIn: undefined, notify: () => undefined, log: () => undefined };
    expect(await resumeSession({ session: { restore: async () => 'resumed' } as never, ...quiet })).toBe('online');
    expect(await resumeSession({ session: { restore: async () => 'offline' } as never, ...quiet })).toBe('offline');
    expect(await resumeSession({ session: { restore: async () => false } as never, ...quiet })).toBe('signed-out');
  });
});
