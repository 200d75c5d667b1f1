// Stores finished recordings and sends their signed status callbacks.
import type { SandboxContext } from '../context';
import { newSid } from '../sids';
import type { Recording } from '../state/store';
import { API_VERSION } from './webhook-params';

export function saveRecording(ctx: SandboxContext, callSid: string, source: Recording['source'], samples: Int16Array, startTime: Date, sid = newSid('RE')): Recording {
  const now = new Date();
  const recording: Recording = {
    sid,
    accountSid: ctx.settings.accountSid,
    callSid,
    status: 'completed',
    source,
    channels: 1,
    startTime,
    durationSeconds: Math.round(samples.length / 8000),
    samples,
    dateCreated: now,
    dateUpdated: now,
  };
  ctx.store.recordings.set(recording.sid, recording);
  ctx.events.emitEvent('recording.completed', { recordingSid: recording.sid, callSid, duration: recording.durationSeconds, source });
  return recording;
}

export function recordingUrl(ctx: SandboxContext, r: Recording): string {
  return `${ctx.baseUrl()}/${API_VERSION}/Accounts/${r.accountSid}/Recordings/${r.sid}`;
}

export function sendRecordingStatus(ctx: SandboxContext, r: Recording, url: string, method: 'GET' | 'POST'): void {
  void ctx.webhooks.callback(url, method, {
    AccountSid: r.accountSid,
    CallSid: r.callSid,
    RecordingSid: r.sid,
    RecordingUrl: recordingUrl(ctx, r),
    RecordingStatus: r.status,
    RecordingDuration: String(r.durationSeconds),
    RecordingChannels: String(r.channels),
    RecordingStartTime: r.startTime.toUTCString(),
    RecordingSource: r.source,
    ErrorCode: '0',
  });
}
