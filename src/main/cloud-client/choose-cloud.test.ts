import { describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/ipc';
import type { EmbeddedStack } from '../embedded';
import { chooseCloud } from './choose-cloud';

describe('choosing the cloud', () => {
  it('starts the embedded default with the process environment and posts what it has to say', async () => {
    const notices: Notice[] = [];
    const started: unknown[] = [];
    const notice: Notice = { id: 'ai-settings-invalid', level: 'error', message: 'The AI service settings are not valid (AI_MODEL …).' };
    const env = { AI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const chosen = await chooseCloud({
      env,
      settingsUrl: null,
      startEmbedded: async (options) => (started.push(options), { cloudUrl: 'http://127.0.0.1:4000', notices: [notice] } as unknown as EmbeddedStack),
      embeddedDataDir: '/tmp/embedded',
      notify: (n) => notices.push(n),
      log: () => undefined,
    });
    expect(chosen.url).toBe('http://127.0.0.1:4000');
    expect(started).toEqual([expect.objectContaining({ dataDir: '/tmp/embedded', env })]);
    expect(notices).toEqual([notice]);
  });

  it('tells the CSP origins before the embedded stack has started, and at once for a configured cloud', async () => {
    const told: string[][] = [];
    let toldBeforeStarted = false;
    await chooseCloud({
      env: {},
      settingsUrl: null,
      startEmbedded: async (options) => {
        options.onAddresses?.({ cloudUrl: 'http://127.0.0.1:4000', edgeHost: '127.0.0.1:4001' });
        toldBeforeStarted = told.length === 1;
        return { cloudUrl: 'http://127.0.0.1:4000', edgeHost: '127.0.0.1:4001' } as unknown as EmbeddedStack;
      },
      embeddedDataDir: '/tmp/embedded',
      notify: () => undefined,
      log: () => undefined,
      onConnectOrigins: (origins) => told.push(origins),
    });
    expect(toldBeforeStarted).toBe(true);
    expect(told).toEqual([['http://127.0.0.1:4000', 'https://127.0.0.1:4001']]);

    told.length = 0;
    await chooseCloud({
      env: { AESTHETIX_CLOUD_URL: 'https://cloud.example.com' },
      settingsUrl: null,
      startEmbedded: undefined,
      embeddedDataDir: '/tmp/embedded',
      notify: () => undefined,
      log: () => undefined,
      onConnectOrigins: (origins) => told.push(origins),
    });
    expect(told).toEqual([['https://cloud.example.com', 'wss://*.twilio.com', 'https://*.twilio.com']]);
  });
});
