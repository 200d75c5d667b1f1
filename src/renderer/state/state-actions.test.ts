import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../shared/cloud';
import type { AppInfo, SessionStateView } from '../../shared/ipc';
import type { DirectoryView } from '../../shared/ipc/views';
import { installFakeBridge } from '../testing/fake-bridge';
import { useCacheVersions } from './cache-versions';
import { useNavigation, viewForRedirect } from './navigation';
import { usePractice } from './practice';
import { useSession } from './session';
import { connectSharedState } from './state-actions';

const fake = installFakeBridge();
const user: User = {
  id: 'u1', accountId: 'acc', email: 'a@spa.example', name: 'Maya', role: 'user', phone: null, locationIds: [], teamIds: [], inboundNumberId: null, twilioIdentity: 'u1', seq: 1, deletedAt: null,
};
const signedIn: SessionStateView = { status: 'signed-in', user, sessionId: 's' };
const info: AppInfo = { name: 'Aesthetix Softphone', version: '0.1.0', host: 'browser', platform: 'linux', cloud: { mode: 'embedded', url: 'http://127.0.0.1:1' } };
const directory = (name: string): DirectoryView => ({ account: null, me: { ...user, name }, locations: [], teams: [], users: [], phoneNumbers: [] });

let off: () => void = () => undefined;
beforeEach(() => {
  fake.calls.length = 0;
  useSession.setState({ session: null, appInfo: undefined, bridgeError: undefined });
  usePractice.setState({ directory: null, dispositions: null });
  useCacheVersions.setState({ versions: {} });
  useNavigation.setState({ view: 'phone', focusTarget: null, dialerPrefill: undefined });
  fake.handlers['app.getInfo'] = () => info;
  fake.handlers['session.getState'] = () => signedIn;
  fake.handlers['directory.get'] = () => directory('Maya');
  fake.handlers['dispositions.list'] = () => ({ active: [], all: [] });
});
afterEach(() => off());

describe('viewForRedirect', () => {
  it('opens the section an alert points at, alerts when unsure', () => {
    expect(['call:c1', 'contact:k1', 'task:t1', 'alerts', null, 'nonsense:1'].map(viewForRedirect)).toEqual(['history', 'contacts', 'tasks', 'alerts', 'alerts', 'alerts']);
  });
});

describe('connectSharedState', () => {
  it('loads who is signed in, the app info and the practice', async () => {
    off = await connectSharedState();
    expect(useSession.getState().session).toEqual(signedIn);
    expect(useSession.getState().appInfo).toEqual(info);
    expect(usePractice.getState().directory?.me?.name).toBe('Maya');
    expect(usePractice.getState().dispositions).toEqual({ active: [], all: [] });
  });

  it('signed out: no practice is fetched; main unreachable: the window says so', async () => {
    fake.handlers['session.getState'] = () => ({ status: 'signed-out' });
    delete fake.handlers['app.getInfo'];
    off = await connectSharedState();
    expect(fake.callsTo('directory.get')).toEqual([]);
    expect(useSession.getState().bridgeError).toBe('app.getInfo is not faked');
  });

  it('refetches the practice when its entities change in the cache, and only then', async () => {
    off = await connectSharedState();
    fake.handlers['directory.get'] = () => directory('Maya R.');
    fake.emit('cache.changed', { entities: ['calls'] });
    await Promise.resolve();
    expect(fake.callsTo('directory.get')).toHaveLength(1);
    expect(useCacheVersions.getState().versions).toEqual({ calls: 1 });
    fake.emit('cache.changed', { entities: ['users', 'calls'] });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(usePractice.getState().directory?.me?.name).toBe('Maya R.');
    expect(useCacheVersions.getState().versions).toEqual({ calls: 2, users: 1 });
  });

  it('follows main: a new session, a number to dial, an alert to open', async () => {
    off = await connectSharedState();
    fake.emit('session.changed', { status: 'signed-out', reason: 'Signed out elsewhere' });
    expect(useSession.getState().session).toEqual({ status: 'signed-out', reason: 'Signed out elsewhere' });
    useNavigation.setState({ view: 'settings' });
    fake.emit('dialer.prefill', { number: '+13105550100' });
    expect(useNavigation.getState()).toMatchObject({ view: 'phone', dialerPrefill: { number: '+13105550100' } });
    fake.emit('navigate.to', { redirect: 'call:c1' });
    expect(useNavigation.getState()).toMatchObject({ view: 'history', focusTarget: 'call:c1' });
  });

  it('the unsubscribe stops following main', async () => {
    const before = fake.listenerCount();
    const stop = await connectSharedState();
    expect(fake.listenerCount()).toBeGreaterThan(before);
    stop();
    expect(fake.listenerCount()).toBe(before);
  });
});
