import type { HoldAudio } from '../hold-audio';
import type { SdkAudio, SdkAudioProcessor, SdkCall } from '../sdk-port';
import { deferred, type Deferred } from './deferred';

/**
 * A HoldAudio that records what the engine asked for. It installs a no-op processor on the Device's
 * audio (as the real one does) and keeps each call's audio as `'held' | 'live'`. `gate()` makes the
 * next setHeld wait until the test resolves it (or rejects it: the audio failed).
 */
export class FakeHoldAudio implements HoldAudio {
  readonly processor: SdkAudioProcessor = {
    createProcessedStream: (stream) => Promise.resolve(stream),
    destroyProcessedStream: () => Promise.resolve(),
  };
  readonly installedOn: SdkAudio[] = [];
  /** How often the engine asked for the hold loop ahead of a Hold. */
  preloads = 0;
  readonly requests: Array<{ call: SdkCall; held: boolean }> = [];
  readonly audio = new Map<SdkCall, 'held' | 'live'>();
  readonly released: SdkCall[] = [];
  private gates: Array<Deferred<void>> = [];

  async install(audio: SdkAudio): Promise<void> {
    await audio.addProcessor(this.processor);
    this.installedOn.push(audio);
  }

  preload(): void {
    this.preloads++;
  }

  async setHeld(call: SdkCall, held: boolean): Promise<void> {
    this.requests.push({ call, held });
    const gate = this.gates.shift();
    if (gate) await gate.promise;
    this.audio.set(call, held ? 'held' : 'live');
  }

  release(call: SdkCall): void {
    this.released.push(call);
    this.audio.delete(call);
  }

  /** The next setHeld waits for the returned deferred. */
  gate(): Deferred<void> {
    const d = deferred<void>();
    this.gates.push(d);
    return d;
  }
}
