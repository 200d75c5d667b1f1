// Measures what a party hears, so tests can assert audio flowed without listening to it.
import { rms } from './pcmu';

/** Frames with an RMS above this count as sound (PCMU silence decodes to ~0). */
export const AUDIBLE_RMS = 150;

export interface EnergyReport {
  frames: number;
  audibleFrames: number;
  peakRms: number;
  meanRms: number;
}

export class AudioMeter {
  /** Settles at the first audible frame: what tests wait on instead of sleeping. */
  readonly firstAudible: Promise<void>;
  private markAudible!: () => void;
  private frames = 0;
  private waiters: Array<{ at: number; resolve: () => void }> = [];
  private audibleFrames = 0;
  private peakRms = 0;
  private sumRms = 0;

  constructor() {
    this.firstAudible = new Promise((resolve) => (this.markAudible = resolve));
  }

  add(samples: Int16Array): void {
    const level = rms(samples);
    this.frames++;
    this.sumRms += level;
    if (level > this.peakRms) this.peakRms = level;
    if (level >= AUDIBLE_RMS && this.audibleFrames++ === 0) this.markAudible();
    if (this.waiters.length) {
      const due = this.waiters.filter((w) => w.at <= this.frames);
      this.waiters = this.waiters.filter((w) => w.at > this.frames);
      for (const w of due) w.resolve();
    }
  }

  /** Settles after `count` more frames (20 ms each): media time, not wall-clock guesses. */
  waitFrames(count: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ at: this.frames + count, resolve }));
  }

  report(): EnergyReport {
    return {
      frames: this.frames,
      audibleFrames: this.audibleFrames,
      peakRms: Math.round(this.peakRms),
      meanRms: this.frames ? Math.round(this.sumRms / this.frames) : 0,
    };
  }
}
