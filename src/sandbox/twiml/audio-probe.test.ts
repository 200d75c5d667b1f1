import { describe, expect, it } from 'vitest';
import { silentMp3, toneWav } from '../testing/audio-fixtures';
import { isLoopbackUrl } from './audio-fetch';
import { probeAudio } from './audio-probe';

describe('probeAudio', () => {
  it('reads a WAV length from its header and keeps 8 kHz PCM playable', () => {
    const probe = probeAudio(toneWav(750));
    expect(probe).toMatchObject({ format: 'wav', durationMs: 750, bitrateKbps: 128 });
    expect(probe?.pcm8k?.length).toBe(6000);
  });

  it('walks MP3 frames for duration and bitrate, skipping an ID3v2 tag', () => {
    const mp3 = silentMp3(2000, 64);
    expect(probeAudio(mp3)).toMatchObject({ format: 'mp3', bitrateKbps: 64 });
    expect(probeAudio(mp3)!.durationMs).toBeGreaterThan(1970);
    expect(probeAudio(mp3)!.durationMs).toBeLessThan(2030);
    const tag = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 20]), Buffer.alloc(20)]);
    expect(probeAudio(Buffer.concat([tag, mp3]))!.durationMs).toBe(probeAudio(mp3)!.durationMs);
    expect(probeAudio(silentMp3(1000, 128))).toMatchObject({ bitrateKbps: 128 });
  });

  it('refuses what is not audio', () => {
    expect(probeAudio(Buffer.from('<html>not found</html>'))).toBeNull();
    expect(probeAudio(Buffer.alloc(0))).toBeNull();
  });
});

describe('isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:3000/a.mp3', true],
    ['http://localhost/a.mp3', true],
    ['http://[::1]:8080/a.wav', true],
    ['https://127.8.9.10/x', true],
    ['https://example.com/a.mp3', false],
    ['http://10.0.0.1/a.mp3', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => expect(isLoopbackUrl(url)).toBe(expected));
});
