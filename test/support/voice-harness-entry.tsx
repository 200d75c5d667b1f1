// Browser entry for test/integration/voice-engine-sdk.test.ts, bundled by esbuild. (.tsx, not .ts:
// tsconfig.node.json type-checks test/support/**/*.ts without the DOM; this browser code is checked
// by voice-harness.tsconfig.json instead, against the renderer's settings.) It runs the real
// VoiceEngine composition (`startVoice`: real @twilio/voice-sdk, signaling monitor, watchdog) over a
// bridge built by the real `createBridge` from a transport whose main-process side is the Node test
// (config and tokens come from exposed functions). Reports every engine state to Node.
//
// Test-only instrumentation first (imports evaluate in order): RTCPeerConnections are recorded
// before the SDK loads, so the page can read inbound audio energy from RTP stats.
import { peerConnections } from './voice-harness-peers';
import { createBridge, type BridgeTransport, type IpcEventName, type IpcResult } from '../../src/shared/ipc';
import { signalingMonitor, startVoice, type CallState, type VoiceEngineState } from '../../src/renderer/voice';
import type { HarnessCall, HarnessSnapshot } from './voice-harness-types';

interface HarnessHost {
  /** Node answers voice.getConfig / voice.getToken (as main would). */
  harnessInvoke(channel: string, input: unknown): Promise<IpcResult<unknown>>;
  harnessEvent(json: string): Promise<void>;
}
const host = window as unknown as Window & HarnessHost;


const listeners = new Map<string, Set<(payload: unknown) => void>>();
const reports: unknown[] = [];
const transport: BridgeTransport = {
  invoke(channel, input) {
    if (channel === 'phone.reportState') {
      reports.push(input);
      return Promise.resolve({ ok: true, value: { accepted: true } });
    }
    return host.harnessInvoke(channel, input);
  },
  subscribe(event, listener) {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)!.add(listener);
    return () => listeners.get(event)?.delete(listener);
  },
};

function callView(call: CallState): HarnessCall {
  const phase = call.phase;
  const ending = phase.name === 'wrap-up' || phase.name === 'done' ? phase.ending.kind : null;
  return { id: call.id, direction: call.direction, phase: phase.name, ending, callSid: call.callSid, from: call.from, to: call.to, hold: call.hold };
}

let voice: ReturnType<typeof startVoice> | null = null;
let healthPoll: ReturnType<typeof setInterval> | null = null;

function snapshot(state: VoiceEngineState): HarnessSnapshot {
  const health = voice?.engine.health;
  return {
    at: Date.now(),
    device: state.device.status,
    degradedReason: state.device.status === 'degraded' ? state.device.reason : null,
    identity: state.identity,
    calls: state.calls.map(callView),
    lastEnded: state.lastEnded ? callView(state.lastEnded) : null,
    problem: state.problem,
    lastFrameAt: signalingMonitor?.lastFrameAt ?? null,
    signalingOpen: signalingMonitor?.isOpen ?? false,
    socketsSeen: signalingMonitor?.socketsSeen ?? 0,
    watchdog: health?.watchdog ?? 'stopped',
    mode: health?.mode ?? 'blind',
  };
}

async function inboundAudio(): Promise<{ packetsReceived: number; totalAudioEnergy: number }> {
  let best = { packetsReceived: 0, totalAudioEnergy: 0 };
  for (const pc of peerConnections) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    stats.forEach((s: { type?: string; kind?: string; packetsReceived?: number; totalAudioEnergy?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && (s.totalAudioEnergy ?? 0) >= best.totalAudioEnergy) {
        best = { packetsReceived: s.packetsReceived ?? 0, totalAudioEnergy: s.totalAudioEnergy ?? 0 };
      }
    });
  }
  return best;
}

const engine = () => {
  if (!voice) throw new Error('harness.start() first');
  return voice.engine;
};

const harness = {
  start(): HarnessSnapshot {
    voice = startVoice(createBridge(transport), { soundsBaseUrl: `${location.origin}/sounds/` });
    let emittedHealth = '';
    const emit = (state: VoiceEngineState) => {
      const s = snapshot(state);
      emittedHealth = `${s.watchdog}/${s.mode}`;
      void host.harnessEvent(JSON.stringify(s));
    };
    voice.engine.subscribe(emit);
    // The watchdog's phase is not engine state: its return to `watching` after a repair often changes
    // nothing in the store (the SDK said `registered` first), so no event would carry it. Look for it.
    healthPoll = setInterval(() => {
      const health = voice?.engine.health;
      if (voice && health && `${health.watchdog}/${health.mode}` !== emittedHealth) emit(voice.engine.getState());
    }, 200);
    return snapshot(voice.engine.getState());
  },
  stop(): void {
    if (healthPoll) clearInterval(healthPoll);
    healthPoll = null;
    voice?.stop();
    voice = null;
  },
  snapshot: (): HarnessSnapshot => snapshot(engine().getState()),
  emit(event: IpcEventName, payload: unknown): void {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
  },
  accept: (id: string) => engine().accept(id),
  reject: (id: string) => engine().reject(id),
  hangUp: (id: string) => engine().hangUp(id),
  sendDigits: (id: string, digits: string) => engine().sendDigits(id, digits),
  finishWrapUp: (id: string) => engine().finishWrapUp(id),
  connect: (to: string, callerId: string): Promise<string> => engine().connect({ to, callerId }),
  reportCount: (): number => reports.length,
  /** Ends whatever a failed test left behind; returns how many calls there were. */
  cleanup(): number {
    const calls = voice?.engine.getState().calls ?? [];
    for (const c of calls) {
      try {
        if (c.phase.name === 'ringing') engine().reject(c.id);
        else if (c.phase.name === 'dialing' || c.phase.name === 'connecting' || c.phase.name === 'open') engine().hangUp(c.id);
      } catch {
        // already ending
      }
    }
    for (const c of voice?.engine.getState().calls ?? []) if (c.phase.name === 'wrap-up') engine().finishWrapUp(c.id);
    return calls.length;
  },
  /** Resolves true once some live peer connection has received audible audio (WebRTC has no event for it). */
  async waitForInboundAudio(minEnergy: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const audio = await inboundAudio();
      if (audio.packetsReceived > 10 && audio.totalAudioEnergy > minEnergy) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  },
  inboundAudio,
  setHold: (id: string, hold: boolean): Promise<void> => engine().setHold(id, hold),
  /**
   * What the receptionist's speaker gets from the call: the peak RMS (0–1) over `windowMs` of every
   * live call's received track, read through Web Audio from the very track objects the SDK plays
   * (a track the engine disabled renders silence here exactly as in the SDK's audio element).
   */
  async outputLevel(windowMs: number): Promise<number> {
    const context = outputContext ?? (outputContext = new AudioContext());
    if (context.state !== 'running') await context.resume();
    const tracks = peerConnections
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getReceivers().map((r) => r.track))
      .filter((t) => t.kind === 'audio' && t.readyState === 'live');
    if (tracks.length === 0) throw new Error('no live received audio track');
    const source = context.createMediaStreamSource(new MediaStream(tracks));
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(analyser);
    // The graph starts rendering a moment after it is built, longer on a loaded machine (a CI run
    // once read a whole second of nothing here): the window opens once audio time has moved on.
    const builtAt = context.currentTime;
    const startBy = Date.now() + 5_000;
    while (context.currentTime < builtAt + 0.1 && Date.now() < startBy) await new Promise((r) => setTimeout(r, 20));
    const buffer = new Float32Array(analyser.fftSize);
    let peak = 0;
    const deadline = Date.now() + windowMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 40));
      analyser.getFloatTimeDomainData(buffer);
      let sum = 0;
      for (const v of buffer) sum += v * v;
      peak = Math.max(peak, Math.sqrt(sum / buffer.length));
    }
    source.disconnect();
    return peak;
  },
};
let outputContext: AudioContext | null = null;

(window as unknown as { harness: typeof harness }).harness = harness;
export type Harness = typeof harness;
