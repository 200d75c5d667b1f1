import { z } from 'zod';
import { mediaFileSchema, mediaUsageSchema } from '../../../shared/cloud/media';
import { IpcFailure } from '../../../shared/ipc/result';
import type { CloudApi } from '../../cloud-client/cloud-client';
import { UploadAssembler } from '../../media/upload-assembler';
import type { SessionService } from '../../session/session-service';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export interface MediaHandlerDeps {
  session: Pick<SessionService, 'authed' | 'user'>;
  api: Pick<CloudApi, 'call' | 'upload'>;
  uploads?: UploadAssembler;
}

const words = {
  unreachable: 'The cloud cannot be reached: the media library is online only. Try again when you are connected.',
  notSupported: 'This cloud has no media library yet.',
};

/**
 * The media library: everyone signed in may list files (the cloud says so too); uploading and
 * deleting are for admins. A file arrives from the window in pieces (see contract-media.ts) and goes
 * to the cloud whole, so a half-sent file is never in the library.
 */
export function mediaHandlers(deps: MediaHandlerDeps): NamespaceHandlers<'media'> {
  const uploads = deps.uploads ?? new UploadAssembler();
  const adminOnly = () => {
    if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can change the media library.');
  };
  const cloud = <T,>(fn: (token: string) => Promise<T>): Promise<T> => viaCloud(() => deps.session.authed(fn), words);

  return {
    'media.list': ({ kind }) => cloud((token) => deps.api.call(token, 'GET', kind ? `/v1/media?kind=${kind}` : '/v1/media', undefined, z.array(mediaFileSchema))),
    'media.usage': () => cloud((token) => deps.api.call(token, 'GET', '/v1/media/usage', undefined, mediaUsageSchema)),
    'media.uploadStart': ({ name, sizeBytes }, sender) => {
      adminOnly();
      return uploads.start(sender.id, name, sizeBytes);
    },
    'media.uploadChunk': ({ uploadId, offset, data }, sender) => uploads.add(sender.id, uploadId, offset, data),
    'media.uploadFinish': ({ uploadId }, sender) => {
      adminOnly();
      const file = uploads.finish(sender.id, uploadId);
      return cloud((token) => deps.api.upload(token, `/v1/media?name=${encodeURIComponent(file.name)}`, file.bytes, mediaFileSchema));
    },
    'media.uploadCancel': ({ uploadId }, sender) => ({ cancelled: uploads.cancel(sender.id, uploadId) }),
    'media.delete': async ({ mediaId }) => {
      adminOnly();
      await cloud((token) => deps.api.call(token, 'DELETE', `/v1/media/${encodeURIComponent(mediaId)}`, undefined, z.unknown()));
      return { deleted: true as const };
    },
  };
}
