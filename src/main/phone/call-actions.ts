import { z } from 'zod';
import { IpcFailure, type CallActionInput } from '../../shared/ipc';
import type { CallCache } from '../cache/cache';
import type { CloudApi } from '../cloud-client/cloud-client';
import { viaCloud } from '../ipc/via-cloud';
import type { SessionService } from '../session/session-service';
import type { SyncEngine } from '../sync/sync-engine';

const anyJson = z.unknown();

/** The cloud route and body for each action on a live call. */
function route(input: CallActionInput): { path: string; body: unknown } {
  switch (input.action) {
    case 'recording.pause':
      return { path: 'recording', body: { action: 'pause' } };
    case 'recording.resume':
      return { path: 'recording', body: { action: 'resume' } };
    case 'hold':
      return { path: 'hold', body: { hold: true } };
    case 'resume':
      return { path: 'hold', body: { hold: false } };
    case 'voicemail':
      return { path: 'voicemail', body: {} };
    case 'transfer':
      return { path: 'transfer', body: input.toUserId ? { toUserId: input.toUserId } : { toNumber: input.toNumber } };
  }
}

/**
 * Live-call actions go to the cloud, which drives Twilio's REST API. The renderer may know a call
 * only by its Twilio CallSid (an outgoing call): the cloud's id is then found in the cache, after
 * one sync if the call has not arrived yet.
 */
export type CallActions = (input: CallActionInput) => Promise<{ done: boolean; callId: string }>;

export function createCallActions(deps: { cache: CallCache; api: CloudApi; session: SessionService; sync: SyncEngine }): CallActions {
  const resolveCallId = async (input: CallActionInput): Promise<string> => {
    if (input.callId) return input.callId;
    const bySid = () => (input.callSid ? deps.cache.calls.getBySid(input.callSid)?.call.id : undefined);
    const known = bySid();
    if (known) return known;
    await deps.sync.syncNow().catch(() => undefined);
    const synced = bySid();
    if (synced) return synced;
    throw new IpcFailure('CALL_NOT_SYNCED', 'This call has not reached the cloud yet. Try again in a moment.');
  };

  return async (input: CallActionInput) => {
    const callId = await resolveCallId(input);
    const { path, body } = route(input);
    await viaCloud(() => deps.session.authed((token) => deps.api.call(token, 'POST', `/v1/calls/${encodeURIComponent(callId)}/${path}`, body, anyJson)), {
      notSupported: 'Your Aesthetix cloud does not support this call action yet.',
    });
    return { done: true, callId };
  };
}
