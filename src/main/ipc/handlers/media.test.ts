import { describe, expect, it } from 'vitest';
import { MEDIA_MAX_FILE_BYTES } from '../../../shared/cloud/media';
import { MEDIA_UPLOAD_CHUNK_BYTES, mediaChannels } from '../../../shared/ipc/contract-media';
import { CloudError } from '../../cloud-client/cloud-client';
import { mediaHandlers } from './media';

const file = { id: 'med_1', accountId: 'acc_1', name: 'hi.txt', contentType: 'text/plain', kind: 'document', sizeBytes: 5, sha256: 'x', url: 'http://127.0.0.1/media/t/hi.txt', durationMs: null, bitrateKbps: null, warning: null, createdAt: '2026-01-01T00:00:00.000Z', createdBy: null };
const sender = (id: number) => ({ id, isMainFrame: true, frameUrl: 'app://x' });

function setup(role: 'admin' | 'receptionist', fail?: CloudError) {
  const uploaded: Array<{ path: string; bytes: string }> = [];
  const handlers = mediaHandlers({
    session: { get user() { return { id: 'u1', role } as never; }, authed: (fn) => fn('token') },
    api: {
      call: (async (_t: string, _m: string, _p: string, _b: unknown, schema: { parse(v: unknown): unknown }) => schema.parse([file])) as never,
      upload: (async (_t: string, path: string, bytes: Uint8Array, schema: { parse(v: unknown): unknown }) => {
        if (fail) throw fail;
        uploaded.push({ path, bytes: Buffer.from(bytes).toString() });
        return schema.parse(file);
      }) as never,
    },
  });
  return { handlers, uploaded };
}

describe('media handlers', () => {
  it('sends the assembled file to the cloud once, under its name', async () => {
    const { handlers, uploaded } = setup('admin');
    const { uploadId } = await handlers['media.uploadStart']({ name: 'hi there.txt', sizeBytes: 5 }, sender(1));
    await handlers['media.uploadChunk']({ uploadId, offset: 0, data: Buffer.from('hel').toString('base64') }, sender(1));
    expect(uploaded).toEqual([]);
    await handlers['media.uploadChunk']({ uploadId, offset: 3, data: Buffer.from('lo').toString('base64') }, sender(1));
    expect(await handlers['media.uploadFinish']({ uploadId }, sender(1))).toMatchObject({ id: 'med_1' });
    expect(uploaded).toEqual([{ path: '/v1/media?name=hi%20there.txt', bytes: 'hello' }]);
  });

  it('refuses receptionists before any byte is kept', async () => {
    const { handlers } = setup('receptionist');
    expect(() => handlers['media.uploadStart']({ name: 'a.txt', sizeBytes: 1 }, sender(1))).toThrow(/Only account admins/);
  });

  it('says plainly when the cloud is down or refuses the type', async () => {
    for (const [error, words] of [
      [new CloudError(0, 'NETWORK', 'x'), /cannot be reached/],
      [new CloudError(415, 'UNSUPPORTED_MEDIA_TYPE', 'This file is not a type the library accepts'), /not a type the library accepts/],
    ] as const) {
      const { handlers } = setup('admin', error);
      const { uploadId } = await handlers['media.uploadStart']({ name: 'a.txt', sizeBytes: 1 }, sender(1));
      await handlers['media.uploadChunk']({ uploadId, offset: 0, data: 'YQ==' }, sender(1));
      await expect(handlers['media.uploadFinish']({ uploadId }, sender(1))).rejects.toThrow(words);
    }
  });
});

describe('media IPC contract', () => {
  it('checks the size before a byte crosses, and a full piece fits one browser-host message (1 MiB)', () => {
    expect(mediaChannels['media.uploadStart'].input.safeParse({ name: 'big.mp3', sizeBytes: MEDIA_MAX_FILE_BYTES + 1 }).success).toBe(false);
    const full = Buffer.alloc(MEDIA_UPLOAD_CHUNK_BYTES, 255).toString('base64');
    const frame = { uploadId: 'u'.repeat(24), offset: 0, data: full };
    expect(mediaChannels['media.uploadChunk'].input.safeParse(frame).success).toBe(true);
    expect(JSON.stringify({ type: 'invoke', id: 1, channel: 'media.uploadChunk', input: frame }).length).toBeLessThan(1024 * 1024);
    expect(mediaChannels['media.uploadChunk'].input.safeParse({ ...frame, data: `${full}AAAA` }).success).toBe(false);
    expect(mediaChannels['media.uploadChunk'].input.safeParse({ ...frame, data: '<script>' }).success).toBe(false);
  });
});
