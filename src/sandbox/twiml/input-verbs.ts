// Gather and Record: input from the party on this leg.
import { sandboxDelay } from '../context';
import { toneSource, silence } from '../media/audio-source';
import { saveRecording, sendRecordingStatus } from '../calls/recordings';
import { CallRecorder } from '../calls/call-recorder';
import type { TwimlNode } from './parse-twiml';
import { methodOf, seconds, type TwimlSession } from './twiml-session';

export interface InputResult {
  /** Parameters for the action URL, or null to go on with the next verb. */
  actionParams: Record<string, string> | null;
}

/**
 * Collects digits (input="dtmf", the default) and/or a spoken answer (input="speech": a scripted
 * party's line becomes SpeechResult). Nested Say/Play/Pause play while waiting and stop at the
 * first key or word.
 */
export async function gather(s: TwimlSession, node: TwimlNode, playNested: (n: TwimlNode, signal: AbortSignal) => Promise<void>): Promise<InputResult> {
  const party = s.leg.party;
  if (!party) return { actionParams: null };
  const inputs = (node.attrs.input ?? 'dtmf').toLowerCase().split(/\s+/);
  const wantsDtmf = inputs.includes('dtmf');
  const wantsSpeech = inputs.includes('speech');
  const numDigits = Number(node.attrs.numDigits ?? '0') || Infinity;
  const finishOnKey = node.attrs.finishOnKey ?? '#';
  const timeoutMs = seconds(node.attrs.timeout, 5) * 1000;
  let digits = '';
  let finishedOnKey = '';
  let speech: string | null = null;
  const prompt = new AbortController();
  const done = new AbortController();
  s.signal.addEventListener('abort', () => done.abort(), { once: true });
  let idle: Promise<void> | null = null;
  const restartIdle = (): void => {
    const mine = (idle = sandboxDelay(s.ctx, timeoutMs, done.signal).then(() => {
      if (idle === mine) done.abort();
    }));
  };
  const onDigit = (d: string): void => {
    prompt.abort();
    if (finishOnKey && d === finishOnKey) {
      finishedOnKey = d;
      return done.abort();
    }
    digits += d;
    s.ctx.events.emitEvent('twiml.gather-digit', { callSid: s.leg.sid, digit: d });
    if (digits.length >= numDigits) return done.abort();
    restartIdle();
  };
  const onSpeechStart = (): void => {
    // Barge-in: a caller who starts talking stops the prompt, and the idle timer waits for the line.
    if (node.attrs.bargeIn !== 'false') prompt.abort();
    idle = null;
  };
  const onSpeech = (text: string): void => {
    speech = text;
    done.abort();
  };
  if (wantsDtmf) party.on('digit', onDigit);
  if (wantsSpeech) {
    party.on('speech-start', onSpeechStart);
    party.on('speech', onSpeech);
  }
  for (const child of node.children) {
    if (prompt.signal.aborted || done.signal.aborted) break;
    await playNested(child, prompt.signal);
  }
  if (!done.signal.aborted) {
    restartIdle();
    await new Promise<void>((r) => (done.signal.aborted ? r() : done.signal.addEventListener('abort', () => r(), { once: true })));
  }
  party.off('digit', onDigit);
  party.off('speech-start', onSpeechStart);
  party.off('speech', onSpeech);
  s.ctx.events.emitEvent('twiml.gather', { callSid: s.leg.sid, digits, ...(speech !== null ? { speech } : {}) });
  if (speech !== null) return { actionParams: { SpeechResult: speech, Confidence: '0.92' } };
  if (!digits && node.attrs.actionOnEmptyResult !== 'true') return { actionParams: null };
  return { actionParams: { Digits: digits, ...(finishedOnKey ? { FinishedOnKey: finishedOnKey } : {}) } };
}

/** Voicemail: records what the party says until a key, maxLength, or hang-up. */
export async function record(s: TwimlSession, node: TwimlNode): Promise<InputResult> {
  const party = s.leg.party;
  if (!party) return { actionParams: null };
  if (node.attrs.playBeep !== 'false') {
    party.hear(toneSource(1000));
    await sandboxDelay(s.ctx, 300, s.signal);
    party.hear(silence);
  }
  const finishOnKey = node.attrs.finishOnKey ?? '1234567890*#';
  const maxMs = seconds(node.attrs.maxLength, 3600) * 1000;
  const recorder = new CallRecorder([party], s.ctx.clock);
  const stop = new AbortController();
  s.signal.addEventListener('abort', () => stop.abort(), { once: true });
  let pressed = '';
  const onDigit = (d: string): void => {
    if (!finishOnKey.includes(d)) return;
    pressed = d;
    stop.abort();
  };
  party.on('digit', onDigit);
  await sandboxDelay(s.ctx, maxMs, stop.signal);
  party.off('digit', onDigit);
  const recording = saveRecording(s.ctx, s.leg.sid, 'RecordVerb', recorder.stop(), recorder.startedAt);
  s.ctx.events.emitEvent('twiml.record', { callSid: s.leg.sid, recordingSid: recording.sid, duration: recording.durationSeconds });
  if (node.attrs.recordingStatusCallback) {
    sendRecordingStatus(s.ctx, recording, s.resolve(node.attrs.recordingStatusCallback), methodOf(node.attrs.recordingStatusCallbackMethod));
  }
  const hungUp = s.leg.isFinal;
  return {
    actionParams: {
      RecordingSid: recording.sid,
      RecordingUrl: `${s.ctx.baseUrl()}/2010-04-01/Accounts/${recording.accountSid}/Recordings/${recording.sid}`,
      RecordingDuration: String(recording.durationSeconds),
      Digits: hungUp ? 'hangup' : pressed,
    },
  };
}
