// Turns each call status change into a sandbox event and, when configured, a signed status
// callback (Twilio's default is `completed` only).
import type { SandboxContext } from '../context';
import type { CallLeg } from './call-leg';
import { callParams, statusCallbackEventOf } from './webhook-params';

export function watchCallStatus(ctx: SandboxContext, leg: CallLeg): void {
  let sequence = 0;
  leg.on('status', (status, previous) => {
    ctx.events.emitEvent('call.status', { callSid: leg.sid, status, previous, from: leg.from, to: leg.to, direction: leg.direction, parentCallSid: leg.parentCallSid });
    const cb = leg.statusCallback;
    const event = statusCallbackEventOf(status);
    if (!cb || !event || !cb.events.has(event)) return;
    const params: Record<string, string> = {
      ...callParams(leg),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(sequence++),
      Timestamp: new Date().toUTCString(),
    };
    if (event === 'completed') {
      params.CallDuration = String(leg.durationSeconds);
      params.Duration = String(Math.ceil(leg.durationSeconds / 60));
    }
    void ctx.webhooks.callback(cb.url, cb.method, params);
  });
}

export function parseStatusCallbackEvents(value: string | string[] | undefined): Set<string> {
  const list = (Array.isArray(value) ? value : (value ?? '').split(/[\s,]+/)).map((v) => v.trim()).filter(Boolean);
  return new Set(list.length ? list : ['completed']);
}
