import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../src/main/cloud-client/cloud-client';
import { callPolicyHandlers } from '../../src/main/ipc/handlers/call-policy';
import { ipcChannels } from '../../src/shared/ipc';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

/** Starting a cloud (PGlite's WASM start) is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;
const sender = { id: 7, isMainFrame: true, frameUrl: 'app://x' };

describe.each(backends)('Settings → Call policy through main on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  }, SLOW);
  afterAll(async () => t?.stop());

  const as = (role: 'admin' | 'receptionist', token: string, baseUrl = t.cloud.url) =>
    callPolicyHandlers({ session: { user: { role } as never, authed: (fn) => fn(token) }, api: createCloudClient({ baseUrl }) });

  it('an admin’s change is saved in the cloud and read back by a receptionist', async () => {
    const before = await as('receptionist', jordan)['callPolicy.get'](undefined, sender);
    expect(before).toEqual({ country: 'US', allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 60 });

    const changes = ipcChannels['callPolicy.update'].input.parse({ allowedCountries: ['US', 'ca'], outboundCallsPerUserHour: 20 });
    const saved = await as('admin', admin)['callPolicy.update'](changes, sender);
    expect(saved).toEqual({ country: 'US', allowedCountries: ['US', 'CA'], usingDefault: false, outboundCallsPerUserHour: 20 });
    expect(await as('receptionist', jordan)['callPolicy.get'](undefined, sender)).toEqual(saved);

    const reset = await as('admin', admin)['callPolicy.update'](ipcChannels['callPolicy.update'].input.parse({ allowedCountries: null }), sender);
    expect(reset).toMatchObject({ allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 20 });
  });

  it('the desktop cannot move the practice to another country, nor send a cap the cloud refuses', () => {
    const input = ipcChannels['callPolicy.update'].input;
    expect(input.safeParse({ country: 'JM' }).success).toBe(false);
    expect(input.safeParse({ outboundCallsPerUserHour: 0 }).success).toBe(false);
    expect(input.safeParse({ allowedCountries: ['ZZ'] }).success).toBe(false);
  });

  it('the cloud refuses a receptionist even if main’s own check were passed, with its words', async () => {
    // Main believes the user is an admin; the token is the receptionist's: the cloud still says no.
    await expect(as('admin', jordan)['callPolicy.update']({ outboundCallsPerUserHour: 1000 }, sender)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await as('receptionist', jordan)['callPolicy.get'](undefined, sender)).outboundCallsPerUserHour).toBe(20);
  });

  it('a cloud that cannot be reached is said plainly', async () => {
    await expect(as('admin', admin, 'http://127.0.0.1:9')['callPolicy.get'](undefined, sender)).rejects.toMatchObject({ message: /Connect to change the call policy/ });
  });
});
