// <Dial>: rings every Client/Number noun at once, first answer wins; runs url= whisper TwiML
// to the callee, bridges audio, records if asked, and reports DialCallStatus to `action`.
import { sandboxDelay } from '../context';
import { amdFromNounAttrs } from '../calls/amd';
import { bridgeParties } from '../calls/bridge';
import { CallRecorder } from '../calls/call-recorder';
import { newSid } from '../sids';
import type { CallLeg } from '../calls/call-leg';
import { recordingUrl, saveRecording, sendRecordingStatus } from '../calls/recordings';
import type { RingOutcome } from '../calls/ringing';
import { parseStatusCallbackEvents } from '../calls/status-callbacks';
import type { TwimlNode } from './parse-twiml';
import { methodOf, seconds, type TwimlSession } from './twiml-session';

interface DialTarget {
  kind: 'client' | 'number';
  address: string;
  noun: TwimlNode | null;
}

function targetsOf(node: TwimlNode): DialTarget[] {
  const nouns = node.children.filter((c) => c.name === 'Client' || c.name === 'Number');
  if (nouns.length === 0 && node.text) {
    return [node.text.startsWith('client:') ? { kind: 'client', address: node.text.slice(7), noun: null } : { kind: 'number', address: node.text, noun: null }];
  }
  return nouns.map((n) => {
    const identity = n.children.find((c) => c.name === 'Identity')?.text ?? n.text;
    return n.name === 'Client' ? { kind: 'client', address: identity, noun: n } : { kind: 'number', address: n.text, noun: n };
  });
}

function customParams(noun: TwimlNode | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of noun?.children ?? []) if (p.name === 'Parameter' && p.attrs.name) out[p.attrs.name] = p.attrs.value ?? '';
  return out;
}

export interface DialResult {
  actionParams: Record<string, string>;
}

export async function dial(s: TwimlSession, node: TwimlNode, runWhisper: (child: CallLeg, url: string, method: 'GET' | 'POST') => Promise<void>): Promise<DialResult> {
  const parent = s.leg;
  const timeoutMs = seconds(node.attrs.timeout, 30) * 1000 * s.ctx.settings.timeScale;
  const callerId = node.attrs.callerId ?? parent.from;
  const recordMode = node.attrs.record ?? 'do-not-record';
  const ringing = new AbortController();
  s.signal.addEventListener('abort', () => ringing.abort(), { once: true });

  const children = targetsOf(node).map((t) => {
    const noun = t.noun;
    const leg = s.engine.createLeg({
      from: callerId,
      to: t.kind === 'client' ? `client:${t.address}` : t.address,
      direction: 'outbound-dial',
      parentCallSid: parent.sid,
      ...(noun?.attrs.statusCallback
        ? { statusCallback: { url: s.resolve(noun.attrs.statusCallback), method: methodOf(noun.attrs.statusCallbackMethod), events: parseStatusCallbackEvents(noun.attrs.statusCallbackEvent) } }
        : {}),
    });
    return { target: t, leg };
  });
  const recordFromRinging = recordMode.startsWith('record-from-ringing');
  const wantsRecording = recordMode !== 'do-not-record' && recordMode !== 'false';
  // record-from-ringing starts with the caller alone (hearing the ringing) before the answer.
  const earlyRecorder = wantsRecording && recordFromRinging && parent.party ? new CallRecorder([parent.party], s.ctx.clock) : null;
  let winner: { target: DialTarget; leg: CallLeg } | null = null;
  const outcomes = await Promise.all(
    children.map(async (c) => {
      const outcome: RingOutcome =
        c.target.kind === 'client'
          ? await s.engine.ringClient(c.leg, c.target.address, { timeoutMs, signal: ringing.signal, customParams: customParams(c.target.noun) })
          : await s.engine.ringNumber(c.leg, c.target.address, { timeoutMs, signal: ringing.signal, amd: amdFromNounAttrs(c.target.noun?.attrs ?? {}, (u) => s.resolve(u)) });
      if (outcome === 'answered') {
        if (winner) s.engine.end(c.leg, 'completed', 'sandbox');
        else {
          winner = c;
          ringing.abort();
        }
      }
      return outcome;
    }),
  );
  const won = winner as { target: DialTarget; leg: CallLeg } | null;
  if (!won) {
    earlyRecorder?.stop();
    const status = outcomes.includes('busy') ? 'busy' : outcomes.includes('failed') ? 'failed' : s.aborted ? 'canceled' : 'no-answer';
    return { actionParams: { DialCallStatus: status, DialCallSid: children[0]?.leg.sid ?? '', DialCallDuration: '0' } };
  }
  const child = won.leg;
  const sendDigits = won.target.noun?.attrs.sendDigits;
  if (sendDigits) child.party?.hearDigits(sendDigits);
  const whisperUrl = won.target.noun?.attrs.url;
  if (whisperUrl) await runWhisper(child, s.resolve(whisperUrl), methodOf(won.target.noun?.attrs.method));
  if (child.isFinal || s.aborted) {
    earlyRecorder?.stop();
    if (!child.isFinal) s.engine.end(child, 'completed', 'sandbox');
    // Answered, but the whisper hung up before the bridge (call connect declined): not bridged.
    return { actionParams: { DialCallStatus: child.answeredAt ? 'completed' : 'no-answer', DialCallSid: child.sid, DialCallDuration: String(child.durationSeconds), DialBridged: 'false' } };
  }
  const a = parent.party;
  const b = child.party;
  if (!a || !b) throw new Error('dial bridged a leg without a party');
  s.ctx.events.emitEvent('call.bridged', { callSid: parent.sid, childCallSid: child.sid });
  const unbridge = bridgeParties(a, b);
  parent.bridgedParty = b;
  child.bridgedParty = a;
  earlyRecorder?.addParty(b);
  const recorder = earlyRecorder ?? (wantsRecording ? new CallRecorder([a, b], s.ctx.clock) : null);
  // Registered while the bridge lasts, so Calls/{sid}/Recordings/{sid|Twilio.CURRENT} can pause and resume it.
  const recordingSid = newSid('RE');
  if (recorder) s.ctx.store.dialRecorders.set(recordingSid, { sid: recordingSid, callSid: parent.sid, accountSid: parent.accountSid, recorder, startedAt: recorder.startedAt });
  const timeLimitMs = seconds(node.attrs.timeLimit, 14400) * 1000;
  const limit = new AbortController();
  await Promise.race([parent.whenEnded(), child.whenEnded(), sandboxDelay(s.ctx, timeLimitMs, limit.signal), new Promise((r) => s.signal.addEventListener('abort', r, { once: true }))]);
  limit.abort();
  unbridge();
  parent.bridgedParty = null;
  child.bridgedParty = null;
  if (!child.isFinal) s.engine.end(child, 'completed', 'sandbox');
  const params: Record<string, string> = { DialCallStatus: 'completed', DialCallSid: child.sid, DialCallDuration: String(child.durationSeconds), DialBridged: 'true' };
  if (recorder) {
    s.ctx.store.dialRecorders.delete(recordingSid);
    const recording = saveRecording(s.ctx, parent.sid, 'DialVerb', recorder.stop(), recorder.startedAt, recordingSid);
    Object.assign(params, { RecordingSid: recording.sid, RecordingUrl: recordingUrl(s.ctx, recording), RecordingDuration: String(recording.durationSeconds) });
    if (node.attrs.recordingStatusCallback) sendRecordingStatus(s.ctx, recording, s.resolve(node.attrs.recordingStatusCallback), methodOf(node.attrs.recordingStatusCallbackMethod));
  }
  return { actionParams: params };
}
