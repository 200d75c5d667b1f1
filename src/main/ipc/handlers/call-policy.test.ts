import { beforeEach, describe, expect, it } from 'vitest';
import { CloudError } from '../../cloud-client/cloud-client';
import { callPolicyHandlers } from './call-policy';

let role: 'admin' | 'receptionist';
let requests: Array<{ method: string; path: string; body: unknown }>;
let answer: (method: string, body: unknown) => unknown;

const policy = { country: 'US', allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 60 };
const handlers = () =>
  callPolicyHandlers({
    session: { get user() { return { id: 'u1', role } as never; }, authed: (fn) => fn('token') },
    api: {
      call: (async (_token: string, method: string, path: string, body: unknown, schema: { parse(v: unknown): unknown }) => {
        requests.push({ method, path, body });
        return schema.parse(answer(method, body));
      }) as never,
    },
  });
const invoke = <T,>(fn: (input: never, sender: never) => T, input?: unknown): T => fn(input as never, undefined as never);

beforeEach(() => {
  role = 'admin';
  requests = [];
  answer = () => policy;
});

describe('call policy handlers', () => {
  it('lets anyone signed in read the policy (a refusal tells them where to look)', async () => {
    role = 'receptionist';
    expect(await invoke(handlers()['callPolicy.get'])).toEqual(policy);
    expect(requests).toEqual([{ method: 'GET', path: '/v1/call-policy', body: undefined }]);
  });

  it('sends an admin’s change to the cloud and returns the policy it saved', async () => {
    answer = (_m, body) => ({ ...policy, allowedCountries: (body as { allowedCountries: string[] }).allowedCountries, usingDefault: false });
    const saved = await invoke(handlers()['callPolicy.update'], { allowedCountries: ['US', 'CA'], outboundCallsPerUserHour: 30 });
    expect(saved).toMatchObject({ allowedCountries: ['US', 'CA'], usingDefault: false });
    expect(requests).toEqual([{ method: 'PUT', path: '/v1/call-policy', body: { allowedCountries: ['US', 'CA'], outboundCallsPerUserHour: 30 } }]);
  });

  it('refuses a receptionist’s change before asking the cloud', async () => {
    role = 'receptionist';
    await expect(invoke(handlers()['callPolicy.update'], { allowedCountries: null })).rejects.toMatchObject({ code: 'FORBIDDEN', message: /Only an account admin/ });
    expect(requests).toEqual([]);
  });

  it('says plainly when the cloud cannot be reached, and keeps the cloud’s own refusals', async () => {
    answer = () => {
      throw new CloudError(0, 'NETWORK', 'fetch failed');
    };
    await expect(invoke(handlers()['callPolicy.get'])).rejects.toMatchObject({ code: 'NETWORK', message: /Connect to change the call policy/ });
    await expect(invoke(handlers()['callPolicy.update'], { outboundCallsPerUserHour: 5 })).rejects.toMatchObject({ message: /Connect to change the call policy/ });
    answer = () => {
      throw new CloudError(403, 'FORBIDDEN', 'Admins only');
    };
    await expect(invoke(handlers()['callPolicy.update'], { outboundCallsPerUserHour: 5 })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Admins only' });
  });
});
