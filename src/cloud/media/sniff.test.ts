import { describe, expect, it } from 'vitest';
import { silentMp3, toneWav } from '../../sandbox/testing/audio-fixtures';
import { audioWarning, probeMp3, probeWav } from './audio-probe';
import { cleanFileName, sniffMedia } from './sniff';

const id3 = (tagBytes: number): Buffer => {
  const header = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, (tagBytes >> 21) & 0x7f, (tagBytes >> 14) & 0x7f, (tagBytes >> 7) & 0x7f, tagBytes & 0x7f]);
  return Buffer.concat([header, Buffer.alloc(tagBytes)]);
};

describe('sniffMedia: the type comes from the bytes, never the name', () => {
  it.each([
    ['a.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    ['a.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'image/jpeg'],
    ['a.gif', Buffer.from('GIF89a....'), 'image/gif'],
    ['a.webp', Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'image/webp'],
    ['a.pdf', Buffer.from('%PDF-1.7\n'), 'application/pdf'],
    ['notes.txt', Buffer.from('Hello, naïve café\n'), 'text/plain'],
    ['list.csv', Buffer.from('name,phone\nAva,+1310\n'), 'text/csv'],
    ['greeting.mp3', silentMp3(1000), 'audio/mpeg'],
    ['greeting.mp3', Buffer.concat([id3(300), silentMp3(500)]), 'audio/mpeg'],
    ['greeting.wav', toneWav(800), 'audio/wav'],
    // A misleading name does not change what the bytes are.
    ['greeting.txt', silentMp3(400), 'audio/mpeg'],
  ])('%s → %s', (name, bytes, type) => {
    expect(sniffMedia(bytes, name)?.contentType).toBe(type);
  });

  it.each([
    ['page.html', Buffer.from('<!doctype html><script>alert(1)</script>')],
    ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')],
    ['setup.exe', Buffer.from('MZ\x90\0\x03\0\0\0')],
    ['archive.zip', Buffer.from('PK\x03\x04rest')],
    ['binary.txt', Buffer.from([0x41, 0x00, 0x42])],
    ['latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9])],
    ['empty.mp3', Buffer.alloc(0)],
    ['broken.mp3', Buffer.from([0xff, 0xfb, 0x50, 0xc4, 1, 2, 3])],
    ['broken.wav', Buffer.from('RIFF\0\0\0\0WAVEjunk')],
  ])('%s is refused', (name, bytes) => {
    expect(sniffMedia(bytes, name)).toBeNull();
  });
});

describe('audio probes', () => {
  it('reads an MP3 length and bitrate by its frames (after an ID3 tag)', () => {
    const probe = probeMp3(Buffer.concat([id3(1000), silentMp3(3000, 128)]))!;
    expect(probe.format).toBe('mp3');
    expect(probe.bitrateKbps).toBe(128);
    expect(probe.sampleRate).toBe(44100);
    expect(Math.abs(probe.durationMs - 3000)).toBeLessThan(30);
  });

  it('reads a WAV length from its header', () => {
    const probe = probeWav(toneWav(2500))!;
    expect(probe).toMatchObject({ format: 'wav', sampleRate: 8000, channels: 1, bitrateKbps: 128 });
    expect(probe.durationMs).toBe(2500);
  });

  it('warns about a high-bitrate MP3 and a long recording, as the seed advises', () => {
    expect(audioWarning(probeMp3(silentMp3(2000, 64))!)).toBeNull();
    expect(audioWarning(probeMp3(silentMp3(2000, 128))!)).toMatch(/128 kbps.*64 kbps MP3/);
    expect(audioWarning({ format: 'mp3', durationMs: 180_000, bitrateKbps: 32, sampleRate: 22050, channels: 1 })).toMatch(/180 s/);
  });
});

describe('cleanFileName', () => {
  it('keeps a good name, strips paths and control characters, and fixes the extension to the detected type', () => {
    expect(cleanFileName('Reschedule message.mp3', 'audio/mpeg')).toBe('Reschedule message.mp3');
    expect(cleanFileName('../../etc/passwd', 'text/plain')).toBe('....etcpasswd.txt');
    expect(cleanFileName('a\u0000b\nc.PNG', 'image/png')).toBe('ab c.PNG');
    expect(cleanFileName('voice.txt', 'audio/mpeg')).toBe('voice.txt.mp3');
    expect(cleanFileName('', 'application/pdf')).toBe('file.pdf');
    expect(cleanFileName(`${'x'.repeat(300)}.pdf`, 'application/pdf')).toHaveLength(200);
  });
});
