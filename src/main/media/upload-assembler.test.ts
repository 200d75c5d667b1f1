import { describe, expect, it } from 'vitest';
import { MEDIA_UPLOAD_CHUNK_BYTES } from '../../shared/ipc/contract-media';
import { UploadAssembler } from './upload-assembler';

const b64 = (bytes: Buffer) => bytes.toString('base64');

describe('UploadAssembler', () => {
  it('puts a file back together from pieces in order and hands it over once complete', () => {
    const file = Buffer.alloc(MEDIA_UPLOAD_CHUNK_BYTES + 10, 7);
    const a = new UploadAssembler();
    const { uploadId, chunkBytes } = a.start(1, 'x.pdf', file.length);
    expect(chunkBytes).toBe(MEDIA_UPLOAD_CHUNK_BYTES);
    expect(a.add(1, uploadId, 0, b64(file.subarray(0, chunkBytes)))).toEqual({ receivedBytes: chunkBytes });
    expect(a.add(1, uploadId, chunkBytes, b64(file.subarray(chunkBytes)))).toEqual({ receivedBytes: file.length });
    const done = a.finish(1, uploadId);
    expect(done.name).toBe('x.pdf');
    expect(done.bytes.equals(file)).toBe(true);
    expect(a.open).toBe(0);
  });

  it('stops an upload whose piece is out of order, oversized or past the announced size, and refuses an incomplete finish', () => {
    const a = new UploadAssembler();
    const one = a.start(1, 'a.txt', 4).uploadId;
    expect(() => a.add(1, one, 2, b64(Buffer.from('ab')))).toThrow(/out of order/);
    expect(() => a.add(1, one, 0, b64(Buffer.from('ab')))).toThrow(/no longer open/);
    const two = a.start(1, 'b.txt', 4).uploadId;
    expect(() => a.add(1, two, 0, b64(Buffer.from('abcde')))).toThrow(/bigger than announced/);
    const three = a.start(1, 'c.txt', MEDIA_UPLOAD_CHUNK_BYTES * 3).uploadId;
    expect(() => a.add(1, three, 0, b64(Buffer.alloc(MEDIA_UPLOAD_CHUNK_BYTES + 1)))).toThrow(/wrong size/);
    const four = a.start(1, 'd.txt', 4).uploadId;
    a.add(1, four, 0, b64(Buffer.from('ab')));
    expect(() => a.finish(1, four)).toThrow(/incomplete \(2 of 4 bytes\)/);
    expect(a.open).toBe(0);
  });

  it('keeps each upload to the window that started it, bounds open uploads and drops idle ones', () => {
    let now = 0;
    const a = new UploadAssembler({ maxPerSender: 2, maxTotal: 3, idleMs: 1000, now: () => now });
    const mine = a.start(1, 'a.txt', 2).uploadId;
    expect(() => a.add(2, mine, 0, b64(Buffer.from('ab')))).toThrow(/no longer open/);
    expect(a.cancel(2, mine)).toBe(false);
    a.start(1, 'b.txt', 2);
    expect(() => a.start(1, 'c.txt', 2)).toThrow(/Too many files/);
    a.start(2, 'd.txt', 2);
    expect(() => a.start(3, 'e.txt', 2)).toThrow(/Too many files/);
    now = 1001;
    expect(() => a.add(1, mine, 0, b64(Buffer.from('ab')))).toThrow(/no longer open/);
    expect(a.open).toBe(0);
    const again = a.start(1, 'a.txt', 2).uploadId;
    expect(a.cancel(1, again)).toBe(true);
  });
});
