import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page, seedPage, tempDir, user } from '../../../../test/support/cache-fixtures';
import type { PhoneNumber, User } from '../../../shared/cloud';
import { openCache, type CallCache } from '../../cache/cache';
import { CloudError } from '../../cloud-client/cloud-client';
import { numbersHandlers } from './numbers';

let tmp: ReturnType<typeof tempDir>;
let cache: CallCache;
let kicks = 0;
let me: User;
let requests: Array<{ method: string; path: string; body: unknown }>;
let answer: (method: string, path: string) => unknown;

const number = (id: string, over: Partial<PhoneNumber> = {}): PhoneNumber => ({
  id,
  accountId: 'acc_1',
  locationId: 'loc_1',
  number: '+13105550100',
  name: 'Front desk',
  forwardingNumber: null,
  callerIdMode: 'caller',
  callConnect: false,
  whisperMessage: null,
  recordCalls: false,
  ringTimeoutSeconds: 20,
  inboundRouting: 'ring_all',
  assignedUserId: null,
  ringAllUserIds: [],
  seq: 1,
  deletedAt: null,
  ...over,
});

const handlers = () =>
  numbersHandlers({
    cache,
    session: {
      get user() {
        return me;
      },
      authed: (fn) => fn('token'),
    },
    api: {
      call: (async (_token: string, method: string, path: string, body: unknown, schema: { parse(v: unknown): unknown }) => {
        requests.push({ method, path, body });
        return schema.parse(answer(method, path));
      }) as never,
    },
    kickSync: () => void kicks++,
  });
const invoke = <T,>(fn: (input: never, sender: never) => T, input?: unknown): T => fn(input as never, undefined as never);

beforeEach(() => {
  tmp = tempDir('numbers-handlers-');
  cache = openCache({ file: tmp.file });
  cache.applyPull(seedPage());
  kicks = 0;
  requests = [];
  answer = () => {
    throw new Error('no answer');
  };
  me = user('usr_2', { role: 'admin' });
});
afterEach(() => {
  cache.close();
  tmp.cleanup();
});

describe('numbers handlers', () => {
  it('refuses a receptionist before anything reaches the cloud', async () => {
    me = user('usr_1');
    await expect(invoke(handlers()['numbers.deleted'])).rejects.toThrow(/Only account admins/);
    await expect(invoke(handlers()['numbers.restore'], { numberId: 'num_1' })).rejects.toThrow(/Only account admins/);
    expect(requests).toEqual([]);
  });

  it('says plainly that managing numbers needs a connection', async () => {
    answer = () => {
      throw new CloudError(0, 'NETWORK', 'fetch failed');
    };
    await expect(invoke(handlers()['numbers.deleted'])).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/cannot be reached.*online/) });
  });

  it('keeps the cloud’s refusal (who holds the number) and asks sync for a change', async () => {
    answer = () => {
      throw new CloudError(409, 'INBOUND_NUMBER_TAKEN', 'This number is already Rita Reception’s Inbound Number');
    };
    await expect(invoke(handlers()['numbers.setInboundNumber'], { userId: 'usr_2', phoneNumberId: 'num_1' })).rejects.toMatchObject({
      code: 'INBOUND_NUMBER_TAKEN',
      message: expect.stringContaining('Rita Reception'),
    });
    answer = () => user('usr_2', { role: 'admin', inboundNumberId: 'num_1' });
    await invoke(handlers()['numbers.setInboundNumber'], { userId: 'usr_2', phoneNumberId: 'num_1' });
    expect(requests.at(-1)).toEqual({ method: 'PUT', path: '/v1/users/usr_2/inbound-number', body: { phoneNumberId: 'num_1' } });
    expect(kicks).toBe(1);
  });

  it('the overview lists the purchases Twilio did not confirm; a cloud from before them has none (not an error)', async () => {
    const checking = { id: 'npi_1', phoneNumber: '+14245550101', requestedAt: '2026-01-01T10:00:00.000Z', state: 'checking', settledAt: null };
    let known = true;
    answer = (_method, path) => {
      if (path === '/v1/numbers/managed' || path === '/v1/users') return [];
      if (path === '/v1/numbers/pricing') return { homeCountry: 'US', prices: [] };
      if (path === '/v1/numbers/purchases/unconfirmed') {
        if (known) return [checking];
        throw new CloudError(404, 'NOT_FOUND', 'No route for GET /v1/numbers/purchases/unconfirmed');
      }
      throw new Error(`unexpected ${path}`);
    };
    expect(await invoke(handlers()['numbers.overview'])).toMatchObject({ unconfirmed: [checking], homeCountry: 'US' });
    known = false;
    expect(await invoke(handlers()['numbers.overview'])).toMatchObject({ unconfirmed: [], homeCountry: 'US' });
    // Any other failure of the list is the overview's failure, as for its other parts.
    answer = () => {
      throw new CloudError(0, 'NETWORK', 'fetch failed');
    };
    await expect(invoke(handlers()['numbers.overview'])).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('puts search filters in the query string, leaving out empty ones', async () => {
    answer = () => ({ numbers: [], price: null, international: false, suggestions: [] });
    await invoke(handlers()['numbers.search'], { country: 'US', type: 'local', match: 'GLOW', matchAt: 'last', sms: true, voice: undefined });
    expect(requests[0]!.path).toBe('/v1/numbers/available?country=US&type=local&match=GLOW&matchAt=last&sms=true');
  });

  it('reads a receptionist’s own inbound number from the cache, offline', () => {
    me = user('usr_1');
    cache.applyPull(page({ phoneNumbers: [number('num_1')], users: [user('usr_1', { name: 'Rita Reception', inboundNumberId: 'num_1' })] }, 11));
    cache.session.setUser(user('usr_1', { inboundNumberId: 'num_1' }));
    expect(invoke(handlers()['numbers.mine'])).toEqual({ number: expect.objectContaining({ id: 'num_1', number: '+13105550100' }) });
    cache.applyPull(page({ phoneNumbers: [number('num_1', { deletedAt: '2026-01-01T00:00:00.000Z', seq: 2 })] }, 12));
    expect(invoke(handlers()['numbers.mine'])).toEqual({ number: null });
  });
});
