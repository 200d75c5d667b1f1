import type { SdkAudio, SdkAudioProcessor, SdkCall } from './sdk-port';
import { consoleVoiceLog } from './console-log';

/**
 * Hold without a conference: what the caller hears and what the receptionist hears, switched in the
 * browser while the call stays connected (see README.md, "Hold"). The engine keeps the hold state;
 * this port does the audio. `WebAudioHold` is the real one; unit tests use `testing/fake-hold-audio.ts`.
 */
export interface HoldAudio {
  /** Adds the microphone processor to a new Device's audio (before any call). */
  install(audio: SdkAudio): Promise<void>;
  /**
   * Fetches and decodes the hold loop now rather than when the receptionist presses Hold. The engine
   * asks a second after the Device registers: nothing on the way to "Ready for calls" needs it (issue #21).
   */
  preload(): void;
  /**
   * Held: the call sends hold music instead of the microphone and its incoming audio is silenced.
   * Not held: microphone (respecting the call's own mute) and speaker back as before.
   */
  setHeld(call: SdkCall, held: boolean): Promise<void>;
  /** The call ended: drop whatever was kept for it. */
  release(call: SdkCall): void;
}

/** One microphone stream the SDK opened, routed through Web Audio. */
interface Graph {
  input: MediaStream;
  output: MediaStream;
  source: MediaStreamAudioSourceNode;
  mic: GainNode;
  music: GainNode;
  destination: MediaStreamAudioDestinationNode;
  player: AudioBufferSourceNode | null;
  held: boolean;
}

export interface WebAudioHoldOptions {
  /** The loop the caller hears, e.g. `/sounds/hold.wav`. */
  musicUrl: string;
  /** Linear gain of the music (the file is normalised to about −14 dBFS RMS). */
  musicGain?: number;
  createContext?: () => AudioContext;
  fetch?: (url: string) => Promise<Response>;
  log?: (message: string, detail?: unknown) => void;
}

/** Gain ramps (s): short enough to feel instant, long enough not to click. */
const RAMP = 0.03;

/**
 * The real HoldAudio. Microphone: an SDK AudioProcessor that routes each microphone stream through a
 * Web Audio graph (mic → gain → destination, plus a music gain into the same destination); hold sets
 * the mic gain to 0 and plays the decoded hold loop (an AudioBufferSourceNode, `loop = true`) into
 * the music gain. The SDK sends the destination's track and never learns about hold: no
 * renegotiation, no reconnect. Speaker: the call's remote track (`call.getRemoteStream()`, public)
 * is disabled, which the SDK's audio element (and every extra speaker output it derives from that
 * stream) renders as silence; RTP keeps arriving, so the call stays healthy.
 */
export class WebAudioHold implements HoldAudio {
  private context: AudioContext | null = null;
  private music: Promise<AudioBuffer> | null = null;
  private readonly graphs: Graph[] = [];
  private readonly installed = new WeakSet<SdkAudio>();
  private readonly log: (message: string, detail?: unknown) => void;

  /** The SDK-facing processor (one object, shared by every Device this app creates). */
  readonly processor: SdkAudioProcessor = {
    createProcessedStream: (stream) => this.createProcessedStream(stream),
    destroyProcessedStream: (stream) => this.destroyProcessedStream(stream),
  };

  constructor(private readonly options: WebAudioHoldOptions) {
    this.log = options.log ?? consoleVoiceLog;
  }

  async install(audio: SdkAudio): Promise<void> {
    if (this.installed.has(audio)) return;
    await audio.addProcessor(this.processor, false);
    this.installed.add(audio);
  }

  preload(): void {
    void this.loadMusic().catch((error: unknown) => this.log('Could not load the hold music', error));
  }

  async setHeld(call: SdkCall, held: boolean): Promise<void> {
    this.sweep();
    const remote = call.getRemoteStream()?.getAudioTracks() ?? [];
    const local = call.getLocalStream()?.getAudioTracks() ?? [];
    const graph = this.graphs.find((g) => g.output.getAudioTracks().some((t) => local.includes(t)));
    if (held) {
      // Silence the caller first, then replace the microphone: nothing of the room leaks in between.
      for (const track of remote) track.enabled = false;
      if (graph) {
        await this.playMusic(graph);
        // A muted receptionist still puts the caller on hold with music: the track must flow.
        for (const track of local) track.enabled = true;
      } else {
        // Not our stream (the SDK was given one elsewhere): no music, but nothing of the room either.
        this.log('Hold: the call does not send a processed stream; the caller hears silence instead of music');
        for (const track of local) track.enabled = false;
      }
      return;
    }
    if (graph) this.stopMusic(graph);
    for (const track of local) track.enabled = !call.isMuted();
    for (const track of remote) track.enabled = true;
  }

  release(call: SdkCall): void {
    const local = call.getLocalStream()?.getAudioTracks() ?? [];
    for (const graph of this.graphs) if (graph.output.getAudioTracks().some((t) => local.includes(t))) this.stopMusic(graph);
    this.sweep();
  }

  // ─── The processor ──────────────────────────────────────────────────────────────────────────

  private async createProcessedStream(stream: MediaStream): Promise<MediaStream> {
    this.sweep();
    const context = this.audioContext();
    // resume() stays pending without a user gesture where autoplay needs one: never wait on it long.
    if (context.state !== 'running') {
      await Promise.race([context.resume().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    if (context.state !== 'running') {
      // A suspended context would send silence: the call must never lose the microphone for hold's sake.
      this.log(`Hold: the audio context is ${context.state}; the microphone is sent unprocessed (hold without music)`);
      return stream;
    }
    const source = context.createMediaStreamSource(stream);
    const mic = context.createGain();
    const music = context.createGain();
    music.gain.value = 0;
    const destination = context.createMediaStreamDestination();
    destination.channelCount = 1;
    source.connect(mic).connect(destination);
    music.connect(destination);
    this.graphs.push({ input: stream, output: destination.stream, source, mic, music, destination, player: null, held: false });
    return destination.stream;
  }

  private destroyProcessedStream(stream: MediaStream): Promise<void> {
    const index = this.graphs.findIndex((g) => g.output === stream);
    if (index >= 0) this.teardown(this.graphs.splice(index, 1)[0]!);
    return Promise.resolve();
  }

  /** The SDK stops a call's tracks when it ends but names only its latest stream to the processor. */
  private sweep(): void {
    for (let i = this.graphs.length - 1; i >= 0; i--) {
      const graph = this.graphs[i]!;
      const ended = (s: MediaStream) => s.getAudioTracks().every((t) => t.readyState === 'ended');
      if (ended(graph.output) || ended(graph.input)) this.teardown(this.graphs.splice(i, 1)[0]!);
    }
  }

  private teardown(graph: Graph): void {
    this.stopMusic(graph);
    for (const node of [graph.source, graph.mic, graph.music]) node.disconnect();
  }

  private async playMusic(graph: Graph): Promise<void> {
    graph.held = true;
    const context = this.audioContext();
    const now = context.currentTime;
    graph.mic.gain.cancelScheduledValues(now);
    graph.mic.gain.setTargetAtTime(0, now, RAMP / 3);
    let buffer: AudioBuffer | null = null;
    try {
      buffer = await this.loadMusic();
    } catch (error) {
      this.log('Hold: no hold music, the caller hears silence', error);
    }
    if (!buffer || !graph.held || graph.player) return;
    const player = context.createBufferSource();
    player.buffer = buffer;
    player.loop = true;
    player.connect(graph.music);
    player.start();
    graph.player = player;
    const at = context.currentTime;
    graph.music.gain.cancelScheduledValues(at);
    graph.music.gain.setValueAtTime(0, at);
    graph.music.gain.setTargetAtTime(this.options.musicGain ?? 1, at, RAMP / 3);
  }

  private stopMusic(graph: Graph): void {
    graph.held = false;
    const context = this.audioContext();
    const now = context.currentTime;
    graph.music.gain.cancelScheduledValues(now);
    graph.music.gain.setValueAtTime(0, now);
    graph.mic.gain.cancelScheduledValues(now);
    graph.mic.gain.setTargetAtTime(1, now, RAMP / 3);
    const player = graph.player;
    graph.player = null;
    if (player) {
      try {
        player.stop();
      } catch {
        // never started
      }
      player.disconnect();
    }
  }

  private loadMusic(): Promise<AudioBuffer> {
    if (!this.music) {
      const fetcher = this.options.fetch ?? ((url: string) => fetch(url));
      const loading = fetcher(this.options.musicUrl)
        .then((response) => {
          if (!response.ok) throw new Error(`${this.options.musicUrl}: HTTP ${response.status}`);
          return response.arrayBuffer();
        })
        .then((bytes) => this.audioContext().decodeAudioData(bytes));
      // A failed load is retried at the next hold.
      loading.catch(() => {
        if (this.music === loading) this.music = null;
      });
      this.music = loading;
    }
    return this.music;
  }

  private audioContext(): AudioContext {
    if (!this.context || this.context.state === 'closed') {
      this.context = this.options.createContext ? this.options.createContext() : new AudioContext({ latencyHint: 'interactive' });
    }
    return this.context;
  }
}
