import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { likelyEmbedded } from './likely-embedded';

describe('guessing the embedded default before the host loads', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'likely-embedded-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the embedded default on a first start and with no cloud URL set', () => {
    expect(likelyEmbedded({}, dir)).toBe(true);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ cloudUrl: null, theme: 'dark' }));
    expect(likelyEmbedded({}, dir)).toBe(true);
  });

  it('is not when the environment or the settings name a cloud, or the settings cannot be read', () => {
    expect(likelyEmbedded({ AESTHETIX_CLOUD_URL: 'https://cloud.example.com' }, dir)).toBe(false);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ cloudUrl: 'https://cloud.example.com' }));
    expect(likelyEmbedded({}, dir)).toBe(false);
    writeFileSync(join(dir, 'settings.json'), '{ damaged');
    expect(likelyEmbedded({}, dir)).toBe(false);
  });
});
