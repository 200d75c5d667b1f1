import type { CloudApi } from '../cloud-client/cloud-client';
import { CloudError } from '../cloud-client/cloud-client';
import type { User } from '../../shared/cloud';

export const demoUser: User = {
  id: 'usr_1',
  accountId: 'acc_1',
  email: 'front@glow.example',
  name: 'Riley Front',
  role: 'user',
  phone: null,
  locationIds: ['loc_1'],
  teamIds: [],
  inboundNumberId: null,
  twilioIdentity: 'usr_1',
  seq: 1,
  deletedAt: null,
};

/** An in-memory cloud for unit tests of session, tokens and sync: rotation and reuse as the real one. */
export function createFakeCloud(overrides: Partial<CloudApi> = {}) {
  let generation = 0;
  const spent = new Set<string>();
  let live = '';
  const calls: string[] = [];
  const issue = () => {
    generation += 1;
    live = `refresh-${generation}-xxxxxxxxxxxxxxxxxxxx`;
    return { accessToken: `access-${generation}`, accessTokenExpiresIn: 900, refreshToken: live, sessionId: 'ses_1' };
  };
  const api: CloudApi = {
    baseUrl: 'http://127.0.0.1:9',
    login: async ({ password }) => {
      calls.push('login');
      if (password !== 'correct horse') throw new CloudError(401, 'INVALID_CREDENTIALS', 'Wrong email or password.');
      return { ...issue(), user: demoUser };
    },
    refresh: async (token) => {
      calls.push('refresh');
      if (spent.has(token)) throw new CloudError(401, 'REFRESH_TOKEN_REUSED', 'This session was revoked.');
      if (token !== live) throw new CloudError(401, 'REFRESH_TOKEN_INVALID', 'Unknown refresh token.');
      spent.add(token);
      return issue();
    },
    logout: async () => {
      calls.push('logout');
    },
    me: async () => demoUser,
    pull: async () => {
      throw new Error('not faked');
    },
    push: async () => {
      throw new Error('not faked');
    },
    twilioToken: async () => {
      calls.push('twilioToken');
      return { token: `twilio-${calls.length}`, identity: 'usr_1', ttlSeconds: 3600, expiresAt: new Date(Date.now() + 3600_000).toISOString() };
    },
    call: async () => {
      throw new Error('not faked');
    },
    download: async () => {
      throw new Error('not faked');
    },
    upload: async () => {
      throw new Error('not faked');
    },
    realtimeUrl: () => 'ws://127.0.0.1:9/v1/realtime',
    ...overrides,
  };
  return { api, calls, get liveRefreshToken() { return live; } };
}
