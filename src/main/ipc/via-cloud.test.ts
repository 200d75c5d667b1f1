import { describe, expect, it } from 'vitest';
import { IpcFailure } from '../../shared/ipc';
import { CloudError } from '../cloud-client/cloud-client';
import { viaCloud } from './via-cloud';

const failing = (error: unknown) => () => Promise.reject(error);
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('viaCloud', () => {
  it('passes values through and turns a CloudError into an IpcFailure with the cloud’s code and words', async () => {
    expect(await viaCloud(async () => 42)).toBe(42);
    const error = await failure(viaCloud(failing(new CloudError(409, 'DISPOSITION_LIMIT_REACHED', 'Delete one first.'))));
    expect(error).toBeInstanceOf(IpcFailure);
    expect(error).toMatchObject({ code: 'DISPOSITION_LIMIT_REACHED', message: 'Delete one first.' });
  });

  it('uses the caller’s words for an unreachable cloud and for a route this cloud does not have', async () => {
    const words = { unreachable: 'Needs a connection.', notSupported: 'Not in your cloud yet.' };
    expect(await failure(viaCloud(failing(new CloudError(0, 'NETWORK', 'fetch failed')), words))).toMatchObject({ code: 'NETWORK', message: 'Needs a connection.' });
    expect(await failure(viaCloud(failing(new CloudError(404, 'ROUTE_NOT_FOUND', 'no route')), words))).toMatchObject({ code: 'NOT_AVAILABLE', message: 'Not in your cloud yet.' });
    // A missing record is a real NOT_FOUND, not an old cloud.
    expect(await failure(viaCloud(failing(new CloudError(404, 'NOT_FOUND', 'No such call')), words))).toMatchObject({ code: 'NOT_FOUND', message: 'No such call' });
  });

  it('lets other errors through untouched', async () => {
    const bug = new TypeError('bug');
    expect(await failure(viaCloud(failing(bug)))).toBe(bug);
  });
});
