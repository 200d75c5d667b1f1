import { describe, expect, it } from 'vitest';
import type { EmbeddedStack } from '../../embedded';
import type { IpcSender } from '../router';
import { demoHandlers } from './demo';

const sender: IpcSender = { id: 1, isMainFrame: true, frameUrl: 'app://softphone/index.html' };
const records = [{ name: '_aesthetix-verification.glow.example', value: 'aesthetix-verification=abc' }];

describe('demo.publishDnsRecords', () => {
  it('in the embedded default: the records go to the demo DNS', async () => {
    const published: unknown[] = [];
    const embedded = { publishDnsRecords: async (r: unknown[]) => (published.push(...r), r.length) } as unknown as EmbeddedStack;
    expect(await demoHandlers({ embedded })['demo.publishDnsRecords']({ records }, sender)).toEqual({ published: 1 });
    expect(published).toEqual(records);
  });

  it('with a real cloud: refused, saying where records go instead', async () => {
    await expect(demoHandlers({ embedded: undefined })['demo.publishDnsRecords']({ records }, sender)).rejects.toMatchObject({ code: 'NOT_EMBEDDED', message: expect.stringContaining('DNS provider') });
  });
});
