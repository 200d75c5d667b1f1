// Recordings started through REST (Calls/{sid}/Recordings): pausable, stoppable, finished when
// the call ends. Paused stretches are not written.
import type { SandboxContext } from '../context';
import { newSid } from '../sids';
import type { Recording } from '../state/store';
import { CallRecorder } from './call-recorder';
import type { CallLeg } from './call-leg';
import { saveRecording, sendRecordingStatus } from './recordings';

interface LiveRecording {
  sid: string;
  leg: CallLeg;
  recorder: CallRecorder;
  callback: { url: string; method: 'GET' | 'POST' } | null;
}

export class LiveRecordings {
  private readonly live = new Map<string, LiveRecording>();

  constructor(private readonly ctx: SandboxContext) {}

  start(leg: CallLeg, callback: LiveRecording['callback']): Recording {
    const parties = [leg.party, leg.bridgedParty].filter((p) => p !== null);
    const recorder = new CallRecorder(parties, this.ctx.clock);
    const sid = newSid('RE');
    this.live.set(sid, { sid, leg, recorder, callback });
    void leg.whenEnded().then(() => this.live.has(sid) && this.update(sid, 'stopped'));
    this.ctx.events.emitEvent('recording.started', { recordingSid: sid, callSid: leg.sid });
    return this.view(sid)!;
  }

  /** The in-progress view of a live recording, or undefined once finished. */
  view(sid: string): Recording | undefined {
    const r = this.live.get(sid);
    if (!r) return this.dialView(sid);
    return {
      sid,
      accountSid: r.leg.accountSid,
      callSid: r.leg.sid,
      status: r.recorder.state,
      source: 'StartCallRecordingAPI',
      channels: 1,
      startTime: r.recorder.startedAt,
      durationSeconds: -1,
      samples: new Int16Array(0),
      dateCreated: r.recorder.startedAt,
      dateUpdated: new Date(),
    };
  }

  forCall(callSid: string): Recording[] {
    const started = [...this.live.values()].filter((r) => r.leg.sid === callSid).map((r) => this.view(r.sid)!);
    const dialed = [...this.ctx.store.dialRecorders.values()].filter((d) => d.callSid === callSid).map((d) => this.dialView(d.sid)!);
    return [...dialed, ...started].sort((x, y) => x.startTime.getTime() - y.startTime.getTime());
  }

  /** A <Dial record> recording in progress, seen as Twilio's REST API shows it. */
  private dialView(sid: string): Recording | undefined {
    const d = this.ctx.store.dialRecorders.get(sid);
    if (!d) return undefined;
    return {
      sid,
      accountSid: d.accountSid,
      callSid: d.callSid,
      status: d.recorder.state,
      source: 'DialVerb',
      channels: 1,
      startTime: d.startedAt,
      durationSeconds: -1,
      samples: new Int16Array(0),
      dateCreated: d.startedAt,
      dateUpdated: new Date(),
    };
  }

  /** Twilio's alias for "the call's most recent recording". */
  resolve(callSid: string, sidOrAlias: string): string | undefined {
    if (sidOrAlias !== 'Twilio.CURRENT') return sidOrAlias;
    return this.forCall(callSid).at(-1)?.sid;
  }

  update(sid: string, status: 'paused' | 'in-progress' | 'stopped'): Recording | undefined {
    const dial = this.ctx.store.dialRecorders.get(sid);
    if (dial) {
      // The Dial owns its recording's end; REST pauses, resumes, or stops writing until the Dial ends.
      dial.recorder.state = status === 'stopped' ? 'paused' : status;
      this.ctx.events.emitEvent(`recording.${status}`, { recordingSid: sid, callSid: dial.callSid });
      return this.dialView(sid);
    }
    const r = this.live.get(sid);
    if (!r) return undefined;
    if (status !== 'stopped') {
      r.recorder.state = status;
      this.ctx.events.emitEvent(`recording.${status}`, { recordingSid: sid, callSid: r.leg.sid });
      return this.view(sid);
    }
    this.live.delete(sid);
    const saved = saveRecording(this.ctx, r.leg.sid, 'StartCallRecordingAPI', r.recorder.stop(), r.recorder.startedAt, sid);
    if (r.callback) sendRecordingStatus(this.ctx, saved, r.callback.url, r.callback.method);
    return saved;
  }
}
