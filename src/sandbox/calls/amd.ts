// Answering-machine detection as Twilio documents it: MachineDetection=Enable returns as soon as
// the called party is identified (human, machine_start, fax, unknown); DetectMessageEnd waits for
// a machine's greeting to end (machine_end_beep / _silence / _other). The verdict is derived from
// the scripted callee with Twilio's own measuring sticks: speech shorter than SpeechThreshold
// followed by SpeechEndThreshold of silence is a person; longer speech is a machine; no speech
// within SilenceTimeout is unknown; nothing decided within MachineDetectionTimeout is unknown.
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { AnsweredBy, PartyBehaviour } from './behaviour';
import type { CallLeg } from './call-leg';
import { BEEP_MS } from './party-script';

export interface AmdConfig {
  mode: 'Enable' | 'DetectMessageEnd';
  timeoutMs: number;
  speechThresholdMs: number;
  speechEndThresholdMs: number;
  silenceTimeoutMs: number;
  /** Asynchronous AMD: the call's TwiML starts at once and the verdict goes to this URL. */
  async: boolean;
  callback?: { url: string; method: 'GET' | 'POST' };
}

/** A fax machine's answer tone is recognised within about a second. */
const FAX_DETECT_MS = 1000;

/** The REST parameters of Calls create (names as Twilio spells them). */
export const amdFormSchema = z.object({
  MachineDetection: z.enum(['Enable', 'DetectMessageEnd']).optional(),
  MachineDetectionTimeout: z.coerce.number().int().min(3).max(59).optional(),
  MachineDetectionSpeechThreshold: z.coerce.number().int().min(1000).max(6000).optional(),
  MachineDetectionSpeechEndThreshold: z.coerce.number().int().min(500).max(5000).optional(),
  MachineDetectionSilenceTimeout: z.coerce.number().int().min(2000).max(10000).optional(),
  AsyncAmd: z.enum(['true', 'false']).optional(),
  AsyncAmdStatusCallback: z.url().optional(),
  AsyncAmdStatusCallbackMethod: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['GET', 'POST'])).optional(),
});

export function amdFromForm(f: z.infer<typeof amdFormSchema>): AmdConfig | null {
  if (!f.MachineDetection) return null;
  const isAsync = f.AsyncAmd === 'true';
  return {
    mode: f.MachineDetection,
    timeoutMs: (f.MachineDetectionTimeout ?? 30) * 1000,
    speechThresholdMs: f.MachineDetectionSpeechThreshold ?? 2400,
    speechEndThresholdMs: f.MachineDetectionSpeechEndThreshold ?? 1200,
    silenceTimeoutMs: f.MachineDetectionSilenceTimeout ?? 5000,
    async: isAsync,
    ...(isAsync && f.AsyncAmdStatusCallback ? { callback: { url: f.AsyncAmdStatusCallback, method: f.AsyncAmdStatusCallbackMethod ?? 'POST' } } : {}),
  };
}

/** The attributes of <Dial><Number> (camelCase); out-of-range values fall back to Twilio's defaults. */
export function amdFromNounAttrs(attrs: Record<string, string>, resolve: (url: string) => string): AmdConfig | null {
  const mode = attrs.machineDetection;
  if (mode !== 'Enable' && mode !== 'DetectMessageEnd') return null;
  const num = (v: string | undefined, min: number, max: number, fallback: number): number => {
    const n = Number(v);
    return v !== undefined && Number.isFinite(n) && n >= min && n <= max ? n : fallback;
  };
  const callback = attrs.amdStatusCallback;
  return {
    mode,
    timeoutMs: num(attrs.machineDetectionTimeout, 3, 60, 30) * 1000,
    speechThresholdMs: num(attrs.machineDetectionSpeechThreshold, 1000, 6000, 2400),
    speechEndThresholdMs: num(attrs.machineDetectionSpeechEndThreshold, 500, 5000, 1200),
    silenceTimeoutMs: num(attrs.machineDetectionSilenceTimeout, 2000, 10000, 5000),
    // On a <Number> the verdict always arrives on its own; the bridge does not wait for it.
    async: true,
    ...(callback ? { callback: { url: resolve(callback), method: attrs.amdStatusCallbackMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST' } } : {}),
  };
}

export interface AmdVerdict {
  answeredBy: AnsweredBy;
  /** Time spent on the callee's side (its greeting), real ms. */
  calleeMs: number;
  /** Time Twilio's detector adds (silence it waits out), before timeScale. */
  detectorMs: number;
}

/** Pure: what Twilio's detector concludes about this callee, and when. */
export function detectAnsweredBy(b: PartyBehaviour, c: Pick<AmdConfig, 'mode' | 'timeoutMs' | 'speechThresholdMs' | 'speechEndThresholdMs' | 'silenceTimeoutMs'>): AmdVerdict {
  if (b.answeredBy) return { answeredBy: b.answeredBy, calleeMs: b.answeredByAfterMs ?? 0, detectorMs: 0 };
  const capped = (v: AmdVerdict, onTimeout: AnsweredBy): AmdVerdict =>
    v.calleeMs + v.detectorMs > c.timeoutMs ? { answeredBy: onTimeout, calleeMs: Math.min(v.calleeMs, c.timeoutMs), detectorMs: Math.max(0, c.timeoutMs - v.calleeMs) } : v;
  if (b.answer === 'fax') return capped({ answeredBy: 'fax', calleeMs: FAX_DETECT_MS, detectorMs: 0 }, 'unknown');
  const speechMs = b.answer === 'voicemail' ? b.greetingMs : b.helloMs;
  if (speechMs === 0) return capped({ answeredBy: 'unknown', calleeMs: 0, detectorMs: c.silenceTimeoutMs }, 'unknown');
  // Short speech then silence: a person said "Hello?" (a very short greeting fools it too, as on Twilio).
  if (speechMs < c.speechThresholdMs) return capped({ answeredBy: 'human', calleeMs: speechMs, detectorMs: c.speechEndThresholdMs }, 'unknown');
  const machineStart: AmdVerdict = { answeredBy: 'machine_start', calleeMs: c.speechThresholdMs, detectorMs: 0 };
  if (c.mode === 'Enable') return capped(machineStart, 'unknown');
  if (c.speechThresholdMs > c.timeoutMs) return capped(machineStart, 'unknown');
  const end: AmdVerdict =
    b.answer === 'voicemail' && b.beep
      ? { answeredBy: 'machine_end_beep', calleeMs: speechMs + BEEP_MS, detectorMs: 0 }
      : { answeredBy: 'machine_end_silence', calleeMs: speechMs, detectorMs: c.speechEndThresholdMs };
  // A machine was heard but its message did not end in time.
  return capped(end, 'machine_end_other');
}

/**
 * Listens to the answered leg until the verdict, then records it on the leg (AnsweredBy goes on
 * every later webhook of the call, answered_by on the resource). Null if the call ended first.
 */
export async function runAmd(ctx: SandboxContext, leg: CallLeg, b: PartyBehaviour, c: AmdConfig): Promise<AmdVerdict | null> {
  const verdict = detectAnsweredBy(b, c);
  const waitMs = verdict.calleeMs + verdict.detectorMs * ctx.settings.timeScale;
  ctx.events.emitEvent('call.amd-started', { callSid: leg.sid, mode: c.mode, async: c.async });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise<void>((r) => (timer = setTimeout(r, waitMs))), leg.whenEnded()]);
  clearTimeout(timer);
  if (leg.isFinal) return null;
  leg.answeredBy = verdict.answeredBy;
  leg.extraParams.AnsweredBy = verdict.answeredBy;
  ctx.events.emitEvent('call.amd', { callSid: leg.sid, answeredBy: verdict.answeredBy, machineDetectionDuration: machineDetectionDuration(verdict), mode: c.mode, async: c.async });
  return verdict;
}

/** MachineDetectionDuration as Twilio reports it: ms from answer to verdict. */
export function machineDetectionDuration(v: AmdVerdict): number {
  return Math.round(v.calleeMs + v.detectorMs);
}

/** Posts the verdict to the async AMD callback (signed, retried); warns like Twilio when there is none. */
export function sendAmdCallback(ctx: SandboxContext, leg: CallLeg, c: AmdConfig, v: AmdVerdict): void {
  if (!c.callback) {
    ctx.events.emitEvent('call.warning', { callSid: leg.sid, code: 21262, message: 'No AMD status callback URL provided' });
    return;
  }
  void ctx.webhooks.callback(c.callback.url, c.callback.method, {
    AccountSid: leg.accountSid,
    CallSid: leg.sid,
    AnsweredBy: v.answeredBy,
    MachineDetectionDuration: String(machineDetectionDuration(v)),
  });
}
