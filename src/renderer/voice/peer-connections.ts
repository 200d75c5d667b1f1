import type { VoiceLog } from './engine-ports';
import { afterFrameOnScreen } from './after-paint';

/** The peer connection class the SDK is given (`Device.Options.RTCPeerConnection`). */
export type PeerConnectionClass = typeof RTCPeerConnection;

/**
 * The SDK's peer connections, through the Device's documented `RTCPeerConnection` option: the
 * browser's class, which this wraps for two jobs on the answer's path.
 *
 * - **A spare while a call rings.** Constructing an RTCPeerConnection took ~3 ms of the renderer's
 *   main thread per answer in the app (CPU profile of the softphone bench: the largest item between
 *   the key and the SDK's peer connection), and a new one must then make its DTLS certificate. So
 *   while an incoming call rings the engine has one made (once the ringing panel's frame is on
 *   screen), and the SDK's next `new RTCPeerConnection()` gets it. Only for the configuration it was made with (none:
 *   the SDK passes none unless told); it is closed when the ring ends unanswered. An unused peer
 *   connection opens no port and sends nothing: gathering starts only when the SDK sets its answer.
 * - **When the media is up.** The SDK has no public event for it (its `accept` event fires when
 *   signaling is stable, before ICE), so `watchNext` watches the ICE state of the next peer
 *   connection it takes (`answer-window.ts`).
 * - **The caller's audio element after the answer.** The SDK's `ontrack` handler (it fires while
 *   the caller's offer is applied) gives the caller's stream to a new audio element, and the
 *   browser's load of that element then ran as a 5-8 ms task on the main thread between the SDK's
 *   createAnswer and its setLocalDescription (trace of the softphone bench), on the answer's way to
 *   the edge. For the answering peer connection that handler runs once the answer window closes
 *   (after ICE connected): no sound is lost, none can flow before ICE and DTLS are done. Set as a
 *   property by the SDK 2.18.5 (`rtc/peerconnection.ts` `_setupPeerConnection`); if a later SDK
 *   listens otherwise, its handler simply runs at once, as before.
 */

/** What the answer window asks of the answering peer connection. */
export interface AnswerWatch {
  /** ICE reached `connected` or `completed`, or gave up (`failed`, `closed`). Called once. */
  settled(): void;
  /** Runs `task` once the answer window has closed (at once if it has). */
  later(task: () => void): void;
}
export interface PeerConnections {
  readonly peerConnectionClass: PeerConnectionClass;
  /** The next peer connection the SDK takes is the answer's: `watch` hears of it. Returns a cancel. */
  watchNext(watch: AnswerWatch): () => void;
  /** Has a spare made, if there is none (once the frame drawn now is on screen). */
  warm(): void;
  /** Closes the spare, and drops one still to be made. */
  release(): void;
}

const SETTLED_ICE_STATES: ReadonlySet<RTCIceConnectionState> = new Set(['connected', 'completed', 'failed', 'closed']);

export class BrowserPeerConnections implements PeerConnections {
  readonly peerConnectionClass: PeerConnectionClass;
  private spare: RTCPeerConnection | null = null;
  private wanted = false;
  private scheduled = false;
  private watch: AnswerWatch | null = null;

  constructor(
    private readonly Base: PeerConnectionClass,
    private readonly log: VoiceLog,
    private readonly schedule: (task: () => void) => void = afterFrameOnScreen,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the constructor below reports to this object
    const connections = this;
    // A function, not a class: `new` on it returns the spare (or a new instance of the browser's
    // class), and `instanceof` and the static methods still answer as the browser's class does.
    function WatchedPeerConnection(configuration?: RTCConfiguration): RTCPeerConnection {
      const pc = connections.take(configuration) ?? new Base(configuration);
      connections.taken(pc);
      return pc;
    }
    WatchedPeerConnection.prototype = Base.prototype;
    Object.setPrototypeOf(WatchedPeerConnection, Base);
    this.peerConnectionClass = WatchedPeerConnection as unknown as PeerConnectionClass;
  }

  /** True while a spare is ready (for tests and diagnostics). */
  get warmed(): boolean {
    return this.spare !== null;
  }

  warm(): void {
    this.wanted = true;
    if (this.spare || this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (!this.wanted || this.spare) return;
      try {
        this.spare = new this.Base();
      } catch (error) {
        // The SDK then constructs its own on accept, as it always did.
        this.log('Could not prepare a peer connection while ringing', error);
      }
    });
  }

  release(): void {
    this.wanted = false;
    this.spare?.close();
    this.spare = null;
  }

  watchNext(watch: AnswerWatch): () => void {
    this.watch = watch;
    return () => {
      if (this.watch === watch) this.watch = null;
    };
  }

  private take(configuration: RTCConfiguration | undefined): RTCPeerConnection | null {
    const spare = this.spare;
    if (!spare || configuration !== undefined || spare.signalingState === 'closed') return null;
    this.spare = null;
    return spare;
  }

  private taken(pc: RTCPeerConnection): void {
    const watch = this.watch;
    if (!watch) return;
    this.watch = null;
    const onChange = (): void => {
      if (!SETTLED_ICE_STATES.has(pc.iceConnectionState)) return;
      pc.removeEventListener('iceconnectionstatechange', onChange);
      watch.settled();
    };
    pc.addEventListener('iceconnectionstatechange', onChange);
    deferTrackHandler(pc, watch);
  }
}

/** The `ontrack` handler set on `pc` runs through `watch.later` (an own property over the prototype's). */
function deferTrackHandler(pc: RTCPeerConnection, watch: AnswerWatch): void {
  let handler: RTCPeerConnection['ontrack'] = null;
  Object.defineProperty(pc, 'ontrack', {
    configurable: true,
    enumerable: true,
    get: () => handler,
    set: (value: RTCPeerConnection['ontrack']) => {
      handler = value;
    },
  });
  pc.addEventListener('track', (event) => {
    watch.later(() => handler?.call(pc, event));
  });
}

/** The browser's, or null where there is no RTCPeerConnection (Node, tests). */
export function browserPeerConnections(log: VoiceLog): BrowserPeerConnections | null {
  const Base = (globalThis as { RTCPeerConnection?: PeerConnectionClass }).RTCPeerConnection;
  return typeof Base === 'function' ? new BrowserPeerConnections(Base, log) : null;
}
