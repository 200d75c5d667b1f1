import { afterFrameOnScreen } from './after-paint';
import type { VoiceLog } from './engine-ports';

/**
 * The microphone, opened while an incoming call rings so that answering does not wait for it.
 *
 * On accept the SDK asks for the default microphone (`getUserMedia({ audio: true })`) unless its
 * AudioHelper already holds a chosen one. Opening a capture device takes tens of milliseconds; asking
 * again while a stream of the same device is open takes a few (Chromium shares the source). So while
 * a call rings the engine keeps its own stream open, and closes it once the call is answered (the
 * SDK then has its own stream) or stops ringing unanswered: the microphone, and the OS indicator
 * with it, is never held between calls.
 *
 * This stream is never given to the SDK as such, so every call still gets a stream of its own (hold
 * sends music on one call's stream, not on another's; see phone-commands `answerRefusal`). What the
 * SDK gets instead, through the Device's `getUserMedia` option, is a clone of its track when it asks
 * for the default microphone while ours is open: a track of its own on the same open capture, ready
 * at once, which the SDK stops when the call ends as it would its own. A real `getUserMedia` costs
 * ~12 ms even with the device open (a round trip to the browser process and back on a busy thread).
 */
export interface MicrophoneWarmer {
  /** Opens the default microphone if it is not open or opening. A failure is only logged: the answer reports it, as before. */
  warm(): void;
  /** Closes it, and drops a stream still on its way. */
  release(): void;
  /** True while a stream is open (for tests and diagnostics). */
  readonly open: boolean;
  /**
   * The SDK's `getUserMedia`: for the default microphone (`{ audio: true }`) while ours is open and
   * live, a clone of it (new tracks on the same capture); anything else is the browser's own request.
   */
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
}

export class BrowserMicrophoneWarmer implements MicrophoneWarmer {
  private stream: MediaStream | null = null;
  private opening = false;
  private wanted = false;

  constructor(
    private readonly media: Pick<MediaDevices, 'getUserMedia'>,
    private readonly log: VoiceLog,
    private readonly schedule: (task: () => void) => void = afterFrameOnScreen,
  ) {}

  get open(): boolean {
    return this.stream !== null;
  }

  warm(): void {
    this.wanted = true;
    if (this.stream || this.opening) return;
    this.opening = true;
    this.schedule(() => {
      if (!this.wanted) {
        this.opening = false;
        return;
      }
      this.media.getUserMedia({ audio: true }).then(
        (stream) => {
          this.opening = false;
          if (this.wanted && !this.stream) this.stream = stream;
          else stopTracks(stream);
        },
        (error: unknown) => {
          this.opening = false;
          // Denied or missing: answering asks again and shows the SDK's clear error, as it always did.
          this.log('Could not open the microphone while ringing', error);
        },
      );
    });
  }

  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    const open = this.stream;
    const defaultMicrophone = constraints.audio === true && !constraints.video;
    const live = open !== null && open.getAudioTracks().length > 0 && open.getTracks().every((t) => t.readyState === 'live');
    if (defaultMicrophone && live) return Promise.resolve(open.clone());
    return this.media.getUserMedia(constraints);
  }

  release(): void {
    this.wanted = false;
    if (this.stream) stopTracks(this.stream);
    this.stream = null;
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** The warmer for a page that can open a microphone; null where it cannot (Node, insecure origins). */
export function browserMicrophoneWarmer(log: VoiceLog): MicrophoneWarmer | null {
  const media = typeof navigator === 'undefined' ? undefined : (navigator.mediaDevices as MediaDevices | undefined);
  return media && typeof media.getUserMedia === 'function' ? new BrowserMicrophoneWarmer(media, log) : null;
}
