// Records a call as Twilio does: both sides mixed into 8 kHz mono. Paused time is simply not
// written, so paused audio is absent from the recording.
import type { MediaClock, Ticking } from '../media/media-clock';
import { decodeMulaw } from '../media/pcmu';
import type { Party } from './party';

export type RecorderState = 'in-progress' | 'paused' | 'stopped';

export class CallRecorder implements Ticking {
  state: RecorderState = 'in-progress';
  private readonly queues: Buffer[][];
  private readonly chunks: Int16Array[] = [];
  private readonly detach: Array<() => void> = [];
  readonly startedAt = new Date();

  constructor(
    parties: Party[],
    private readonly clock: MediaClock,
  ) {
    this.queues = [];
    for (const p of parties) this.addParty(p);
    clock.add(this);
  }

  /** Mixes in another party from now on (record-from-ringing: the callee joins at answer). */
  addParty(p: Party): void {
    const queue: Buffer[] = [];
    this.queues.push(queue);
    const listener = (f: Buffer): void => {
      if (queue.length < 10) queue.push(f);
    };
    p.on('audio', listener);
    this.detach.push(() => p.off('audio', listener));
  }

  tick(): void {
    const frames = this.queues.map((q) => q.shift());
    if (this.state !== 'in-progress') return;
    const mixed = new Int16Array(160);
    for (const f of frames) {
      if (!f) continue;
      const pcm = decodeMulaw(f);
      for (let i = 0; i < mixed.length; i++) mixed[i] = Math.max(-32768, Math.min(32767, (mixed[i] ?? 0) + (pcm[i] ?? 0)));
    }
    this.chunks.push(mixed);
  }

  stop(): Int16Array {
    if (this.state !== 'stopped') {
      this.state = 'stopped';
      this.clock.remove(this);
      for (const d of this.detach) d();
    }
    const out = new Int16Array(this.chunks.length * 160);
    this.chunks.forEach((c, i) => out.set(c, i * 160));
    return out;
  }
}
